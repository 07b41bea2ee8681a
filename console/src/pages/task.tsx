import { describeTask, describeTaskDefinition, stopTask } from '../aws/ecs.js';
import { arnName, type Container, type Task } from '../aws/ecs-types.js';
import { logTargets } from '../lib/log-links.js';
import { href } from '../lib/routes.js';
import { duration, fromEpochSeconds } from '../lib/time.js';
import { Breadcrumbs } from '../ui/breadcrumbs.js';
import { ConfirmButton } from '../ui/confirm.js';
import { useAws, useResource } from '../ui/hooks.js';
import { Link } from '../ui/link.js';
import { ErrorBox, Loading, Status } from '../ui/status.js';
import { Time } from '../ui/time.js';

/** One task: its containers, exits, health, network and revision; stop it; open its logs. */
export function TaskPage(props: { cluster: string; task: string }) {
  const aws = useAws();
  const task = useResource(() => describeTask(aws, props.cluster, props.task), [aws, props.cluster, props.task], 3000);
  const t = task.data;
  const definition = useResource(() => (t ? describeTaskDefinition(aws, t.taskDefinitionArn) : Promise.resolve(undefined)), [aws, t?.taskDefinitionArn]);
  const service = t?.group?.startsWith('service:') ? t.group.slice('service:'.length) : undefined;
  const logs = definition.data ? logTargets(definition.data.containerDefinitions, props.task) : [];
  return (
    <section>
      <Breadcrumbs
        steps={[
          { label: 'Clusters', href: href({ page: 'clusters' }) },
          { label: props.cluster, href: href({ page: 'cluster', cluster: props.cluster }) },
          ...(service ? [{ label: service, href: href({ page: 'service', cluster: props.cluster, service }) }] : []),
          { label: `task ${props.task.slice(0, 12)}` },
        ]}
      />
      <h1 class="mono">{props.task}</h1>
      <ErrorBox error={task.error} />
      <Loading when={!t && task.loading}>{t ? <TaskDetails cluster={props.cluster} task={t} onStopped={task.reload} /> : <p>No task {props.task} in {props.cluster}.</p>}</Loading>
      {logs.length > 0 && (
        <>
          <h2>Logs</h2>
          <ul>
            {logs.map((l) => (
              <li key={l.container}>
                {l.container}:{' '}
                <Link href={`${href({ page: 'log-group', group: l.group })}${l.stream ? `?stream=${encodeURIComponent(l.stream)}` : ''}`}>
                  {l.group}
                  {l.stream ? ` / ${l.stream}` : ''}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function TaskDetails(props: { cluster: string; task: Task; onStopped: () => void }) {
  const aws = useAws();
  const t = props.task;
  const started = fromEpochSeconds(t.startedAt);
  const stopped = fromEpochSeconds(t.stoppedAt);
  const eni = t.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
  const family = arnName(t.taskDefinitionArn).split(':')[0]!;
  return (
    <>
      <dl class="facts">
        <div>
          <dt>Last status</dt>
          <dd data-testid="task-last-status">
            <Status value={t.lastStatus} />
          </dd>
        </div>
        <div>
          <dt>Desired status</dt>
          <dd>{t.desiredStatus}</dd>
        </div>
        <div>
          <dt>Health</dt>
          <dd>
            <Status value={t.healthStatus} />
          </dd>
        </div>
        <div>
          <dt>Task definition</dt>
          <dd>
            <Link href={href({ page: 'task-definition', family })}>{arnName(t.taskDefinitionArn)}</Link>
          </dd>
        </div>
        <div>
          <dt>Launch type</dt>
          <dd>{t.launchType ?? '—'}</dd>
        </div>
        <div>
          <dt>CPU / memory</dt>
          <dd>
            {t.cpu ?? '—'} / {t.memory ?? '—'}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <Time date={started} />
          </dd>
        </div>
        <div>
          <dt>{stopped ? 'Ran for' : 'Running for'}</dt>
          <dd>{started ? duration((stopped ?? new Date()).getTime() - started.getTime()) : '—'}</dd>
        </div>
        {t.stoppedReason && (
          <div class="wide">
            <dt>Stopped reason</dt>
            <dd data-testid="stopped-reason">
              {t.stopCode ? `${t.stopCode}: ` : ''}
              {t.stoppedReason}
            </dd>
          </div>
        )}
        {eni && (
          <div class="wide">
            <dt>Network interface</dt>
            <dd class="small">{(eni.details ?? []).map((d) => `${d.name}=${d.value}`).join(' · ')}</dd>
          </div>
        )}
      </dl>
      {t.desiredStatus !== 'STOPPED' && (
        <div class="actions-bar">
          <ConfirmButton
            label="Stop task"
            title="Stop this task"
            confirmLabel="Stop task"
            danger
            action={() => stopTask(aws, props.cluster, t.taskArn, 'Stopped from the minato console')}
            onDone={props.onStopped}
          >
            <p>
              Its containers get their stop signal, then SIGKILL after their stop timeout. A service replaces the task.
            </p>
          </ConfirmButton>
        </div>
      )}
      <h2>Containers</h2>
      <table aria-label="Containers">
        <thead>
          <tr>
            <th>Name</th>
            <th>Image</th>
            <th>Status</th>
            <th>Health</th>
            <th class="num">Exit code</th>
            <th>Reason</th>
            <th>Network</th>
          </tr>
        </thead>
        <tbody>
          {(t.containers ?? []).map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td class="small mono" title={c.imageDigest}>
                {c.image}
              </td>
              <td>
                <Status value={c.lastStatus} />
              </td>
              <td>
                <Status value={c.healthStatus} />
              </td>
              <td class="num" data-testid={`exit-${c.name}`}>
                {c.exitCode ?? '—'}
              </td>
              <td class="small">{c.reason ?? ''}</td>
              <td class="small">{network(c)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function network(c: Container): string {
  const bindings = (c.networkBindings ?? []).map((b) => `${b.bindIP ?? ''}:${b.hostPort ?? ''}→${b.containerPort ?? ''}/${b.protocol ?? 'tcp'}`);
  const addresses = (c.networkInterfaces ?? []).map((n) => n.privateIpv4Address ?? '').filter(Boolean);
  return [...addresses, ...bindings].join(', ') || '—';
}
