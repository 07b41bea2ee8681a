import { listLogGroups, type LogGroup } from '../aws/logs.js';
import { href } from '../lib/routes.js';
import { useAws, useResource } from '../ui/hooks.js';
import { Link } from '../ui/link.js';
import { ErrorBox, Loading } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';
import { Time } from '../ui/time.js';
import { bytes } from '../lib/units.js';

const COLUMNS: TableColumn<LogGroup>[] = [
  { key: 'name', label: 'Log group', value: (g) => g.logGroupName, cell: (g) => <Link href={href({ page: 'log-group', group: g.logGroupName })}>{g.logGroupName}</Link> },
  { key: 'stored', label: 'Stored', value: (g) => g.storedBytes, cell: (g) => bytes(g.storedBytes), numeric: true },
  { key: 'retention', label: 'Retention', value: (g) => g.retentionInDays, cell: (g) => (g.retentionInDays ? `${g.retentionInDays} days` : 'never expires') },
  { key: 'created', label: 'Created', value: (g) => g.creationTime, cell: (g) => <Time date={g.creationTime ? new Date(g.creationTime) : undefined} /> },
];

export function LogGroupsPage() {
  const aws = useAws();
  const groups = useResource(() => listLogGroups(aws), [aws], 15_000);
  return (
    <section>
      <h1>Log groups</h1>
      <ErrorBox error={groups.error} />
      <Loading when={!groups.data && groups.loading}>
        <Table id="groups" label="Log groups" rows={groups.data ?? []} columns={COLUMNS} rowKey={(g) => g.logGroupName} defaultSort="name" empty="No log groups." />
      </Loading>
    </section>
  );
}
