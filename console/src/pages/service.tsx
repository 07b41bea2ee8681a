import { useEffect, useMemo, useRef } from 'preact/hooks';
import { serviceScaling, serviceUtilization } from '../aws/autoscaling.js';
import { describeService, listTasks } from '../aws/ecs.js';
import { arnName } from '../aws/ecs-types.js';
import { href } from '../lib/routes.js';
import { Breadcrumbs } from '../ui/breadcrumbs.js';
import { useAws, useResource } from '../ui/hooks.js';
import { LineChart } from '../ui/line-chart.js';
import { Link } from '../ui/link.js';
import { ErrorBox, Loading, Status } from '../ui/status.js';
import { TasksTable } from './tasks-table.js';
import { Deployments, EventTimeline } from './service-deployments.js';
import { ServiceActions } from './service-actions.js';
import { LoadBalancers, Scaling } from './service-traffic.js';

/** One service: counts, deployments and their rollout, events, tasks, traffic, scaling, utilization. */
export function ServicePage(props: { cluster: string; service: string }) {
  const aws = useAws();
  const { cluster, service: name } = props;
  const service = useResource(() => describeService(aws, cluster, name), [aws, cluster, name], 2000);
  // Re-read every 3 s; a long list (each 100 tasks are two calls) every 15 s.
  const tasks = useResource(() => listTasks(aws, cluster, { serviceName: name }), [aws, cluster, name], (list) => ((list?.length ?? 0) > 200 ? 15_000 : 3000));
  const scaling = useResource(() => serviceScaling(aws, cluster, name), [aws, cluster, name], 15_000);
  const utilization = useResource(() => serviceUtilization(aws, cluster, name, 60), [aws, cluster, name], 60_000);
  const s = service.data;
  const taskRows = useMemo(() => tasks.data ?? [], [tasks.data]);
  // When the counts move (a scale, a deployment, a task stopping), the task list follows at once.
  const counts = s && `${s.runningCount}/${s.pendingCount}/${s.desiredCount}/${s.deployments?.length ?? 0}`;
  const lastCounts = useRef(counts);
  useEffect(() => {
    // Not on the first answer: the task list is already being read then.
    if (lastCounts.current && counts && counts !== lastCounts.current) tasks.reload();
    lastCounts.current = counts;
  }, [counts]);
  return (
    <section>
      <Breadcrumbs steps={[{ label: 'Clusters', href: href({ page: 'clusters' }) }, { label: cluster, href: href({ page: 'cluster', cluster }) }, { label: name }]} />
      <h1>{name}</h1>
      <ErrorBox error={service.error} />
      <Loading when={!s && service.loading}>
        {s ? (
          <>
            <dl class="facts">
              <div>
                <dt>Status</dt>
                <dd>
                  <Status value={s.status} />
                </dd>
              </div>
              <div>
                <dt>Desired</dt>
                <dd data-testid="desired-count">{s.desiredCount}</dd>
              </div>
              <div>
                <dt>Running</dt>
                <dd data-testid="running-count">{s.runningCount}</dd>
              </div>
              <div>
                <dt>Pending</dt>
                <dd data-testid="pending-count">{s.pendingCount}</dd>
              </div>
              <div>
                <dt>Task definition</dt>
                <dd>
                  <Link href={`${href({ page: 'task-definition', family: arnName(s.taskDefinition).split(':')[0]! })}`}>{arnName(s.taskDefinition)}</Link>
                </dd>
              </div>
              <div>
                <dt>Launch type</dt>
                <dd>{s.launchType ?? 'capacity provider strategy'}</dd>
              </div>
            </dl>
            <ServiceActions cluster={cluster} service={s} onDone={service.reload} />
            <h2>Deployments</h2>
            <Deployments deployments={s.deployments ?? []} />
            <h2>Utilization</h2>
            <ErrorBox error={utilization.error} />
            <div class="charts">
              <LineChart title="CPU utilization (AWS/ECS, 1 min average)" unit="%" minMax={10} series={(utilization.data ?? []).filter((x) => x.label === 'CPUUtilization')} />
              <LineChart title="Memory utilization (AWS/ECS, 1 min average)" unit="%" minMax={10} series={(utilization.data ?? []).filter((x) => x.label === 'MemoryUtilization')} />
            </div>
            <h2>Load balancers</h2>
            <LoadBalancers service={s} />
            <h2>Scaling</h2>
            <ErrorBox error={scaling.error} />
            {scaling.data && <Scaling {...scaling.data} />}
            <h2>Events</h2>
            <EventTimeline events={s.events ?? []} />
          </>
        ) : (
          <p>No service {name} in {cluster}.</p>
        )}
      </Loading>
      <h2>Tasks</h2>
      <ErrorBox error={tasks.error} />
      <Loading when={!tasks.data && tasks.loading}>
        <TasksTable id="tasks" cluster={cluster} tasks={taskRows} />
      </Loading>
    </section>
  );
}
