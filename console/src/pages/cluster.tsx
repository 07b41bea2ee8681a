import { describeCluster, listContainerInstances, listServices } from '../aws/ecs.js';
import { arnName, resourceValue, type ContainerInstance, type Service } from '../aws/ecs-types.js';
import { href } from '../lib/routes.js';
import { Breadcrumbs } from '../ui/breadcrumbs.js';
import { useAws, useResource } from '../ui/hooks.js';
import { Link } from '../ui/link.js';
import { Meter } from '../ui/meter.js';
import { ErrorBox, Loading, Status } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';
import { TasksTable } from './tasks-table.js';
import { listTasks } from '../aws/ecs.js';

const used = (ci: ContainerInstance, name: string) => resourceValue(ci.registeredResources, name) - resourceValue(ci.remainingResources, name);

function serviceColumns(cluster: string): TableColumn<Service>[] {
  return [
    {
      key: 'name',
      label: 'Service',
      value: (s) => s.serviceName,
      cell: (s) => <Link href={href({ page: 'service', cluster, service: s.serviceName })}>{s.serviceName}</Link>,
    },
    { key: 'status', label: 'Status', value: (s) => s.status, cell: (s) => <Status value={s.status} /> },
    { key: 'desired', label: 'Desired', value: (s) => s.desiredCount, numeric: true },
    { key: 'running', label: 'Running', value: (s) => s.runningCount, numeric: true },
    { key: 'pending', label: 'Pending', value: (s) => s.pendingCount, numeric: true },
    { key: 'rollout', label: 'Rollout', value: (s) => s.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState, cell: (s) => <Status value={s.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState} /> },
    { key: 'taskDefinition', label: 'Task definition', value: (s) => arnName(s.taskDefinition) },
  ];
}

const INSTANCE_COLUMNS: TableColumn<ContainerInstance>[] = [
  { key: 'id', label: 'Instance', value: (ci) => arnName(ci.containerInstanceArn), text: (ci) => `${arnName(ci.containerInstanceArn)} ${ci.ec2InstanceId ?? ''}` },
  { key: 'status', label: 'Status', value: (ci) => ci.status, cell: (ci) => <Status value={ci.status} /> },
  { key: 'agent', label: 'Agent', value: (ci) => (ci.agentConnected ? 'connected' : 'disconnected') },
  { key: 'provider', label: 'Capacity provider', value: (ci) => ci.capacityProviderName },
  { key: 'tasks', label: 'Tasks', value: (ci) => ci.runningTasksCount, numeric: true },
  { key: 'cpu', label: 'CPU used / registered', value: (ci) => used(ci, 'CPU'), cell: (ci) => <Meter used={used(ci, 'CPU')} total={resourceValue(ci.registeredResources, 'CPU')} unit="units" /> },
  { key: 'memory', label: 'Memory used / registered', value: (ci) => used(ci, 'MEMORY'), cell: (ci) => <Meter used={used(ci, 'MEMORY')} total={resourceValue(ci.registeredResources, 'MEMORY')} unit="MiB" /> },
];

export function ClusterPage(props: { cluster: string }) {
  const aws = useAws();
  const cluster = useResource(() => describeCluster(aws, props.cluster), [aws, props.cluster], 5000);
  const services = useResource(() => listServices(aws, props.cluster), [aws, props.cluster], 5000);
  const instances = useResource(() => listContainerInstances(aws, props.cluster), [aws, props.cluster], 10_000);
  const tasks = useResource(() => listTasks(aws, props.cluster), [aws, props.cluster], (list) => ((list?.length ?? 0) > 200 ? 15_000 : 5000));
  const c = cluster.data;
  return (
    <section>
      <Breadcrumbs steps={[{ label: 'Clusters', href: href({ page: 'clusters' }) }, { label: props.cluster }]} />
      <h1>{props.cluster}</h1>
      <ErrorBox error={cluster.error} />
      {c && (
        <dl class="facts">
          <div>
            <dt>Status</dt>
            <dd>
              <Status value={c.status} />
            </dd>
          </div>
          <div>
            <dt>Services</dt>
            <dd>{c.activeServicesCount}</dd>
          </div>
          <div>
            <dt>Running tasks</dt>
            <dd data-testid="cluster-running">{c.runningTasksCount}</dd>
          </div>
          <div>
            <dt>Pending tasks</dt>
            <dd>{c.pendingTasksCount}</dd>
          </div>
          <div>
            <dt>Container instances</dt>
            <dd>{c.registeredContainerInstancesCount}</dd>
          </div>
          <div>
            <dt>Capacity providers</dt>
            <dd>
              {(c.capacityProviders ?? []).join(', ') || '—'}
              {c.defaultCapacityProviderStrategy?.length ? (
                <span class="muted small"> (default: {c.defaultCapacityProviderStrategy.map((s) => `${s.capacityProvider} w${s.weight ?? 0}${s.base ? ` b${s.base}` : ''}`).join(', ')})</span>
              ) : null}
            </dd>
          </div>
        </dl>
      )}
      <h2>Services</h2>
      <ErrorBox error={services.error} />
      <Loading when={!services.data && services.loading}>
        <Table id="services" label="Services" rows={services.data ?? []} columns={serviceColumns(props.cluster)} rowKey={(s) => s.serviceArn} defaultSort="name" empty="No services." />
      </Loading>
      <h2>Container instances</h2>
      <ErrorBox error={instances.error} />
      <Loading when={!instances.data && instances.loading}>
        <Table
          id="instances"
          label="Container instances"
          rows={instances.data ?? []}
          columns={INSTANCE_COLUMNS}
          rowKey={(ci) => ci.containerInstanceArn}
          empty="No container instances: tasks run on the control host."
        />
      </Loading>
      <h2>Tasks</h2>
      <ErrorBox error={tasks.error} />
      <Loading when={!tasks.data && tasks.loading}>
        <TasksTable id="tasks" cluster={props.cluster} tasks={tasks.data ?? []} />
      </Loading>
    </section>
  );
}
