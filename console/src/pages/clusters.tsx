import { listClusters } from '../aws/ecs.js';
import type { Cluster } from '../aws/ecs-types.js';
import { href } from '../lib/routes.js';
import { useAws, useResource } from '../ui/hooks.js';
import { Link } from '../ui/link.js';
import { ErrorBox, Loading, Status } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';

const COLUMNS: TableColumn<Cluster>[] = [
  { key: 'name', label: 'Cluster', value: (c) => c.clusterName, cell: (c) => <Link href={href({ page: 'cluster', cluster: c.clusterName })}>{c.clusterName}</Link> },
  { key: 'status', label: 'Status', value: (c) => c.status, cell: (c) => <Status value={c.status} /> },
  { key: 'services', label: 'Services', value: (c) => c.activeServicesCount, numeric: true },
  { key: 'running', label: 'Running tasks', value: (c) => c.runningTasksCount, numeric: true },
  { key: 'pending', label: 'Pending tasks', value: (c) => c.pendingTasksCount, numeric: true },
  { key: 'instances', label: 'Container instances', value: (c) => c.registeredContainerInstancesCount, numeric: true },
  { key: 'providers', label: 'Capacity providers', value: (c) => (c.capacityProviders ?? []).join(', ') },
];

export function ClustersPage() {
  const aws = useAws();
  const clusters = useResource(() => listClusters(aws), [aws], 5000);
  return (
    <section>
      <h1>Clusters</h1>
      <ErrorBox error={clusters.error} />
      <Loading when={!clusters.data && clusters.loading}>
        <Table id="clusters" label="Clusters" rows={clusters.data ?? []} columns={COLUMNS} rowKey={(c) => c.clusterArn} defaultSort="name" empty="No clusters yet." />
      </Loading>
    </section>
  );
}
