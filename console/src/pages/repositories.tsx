import { listRepositories, type Repository } from '../aws/ecr.js';
import { href } from '../lib/routes.js';
import { fromEpochSeconds } from '../lib/time.js';
import { useAws, useResource } from '../ui/hooks.js';
import { Link } from '../ui/link.js';
import { ErrorBox, Loading } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';
import { Time } from '../ui/time.js';

const COLUMNS: TableColumn<Repository>[] = [
  { key: 'name', label: 'Repository', value: (r) => r.repositoryName, cell: (r) => <Link href={href({ page: 'repository', repository: r.repositoryName })}>{r.repositoryName}</Link> },
  { key: 'uri', label: 'URI', value: (r) => r.repositoryUri, cell: (r) => <code>{r.repositoryUri}</code> },
  { key: 'mutability', label: 'Tags', value: (r) => r.imageTagMutability },
  { key: 'scan', label: 'Scan on push', value: (r) => (r.imageScanningConfiguration?.scanOnPush ? 'yes' : 'no') },
  { key: 'created', label: 'Created', value: (r) => r.createdAt, cell: (r) => <Time date={fromEpochSeconds(r.createdAt)} /> },
];

export function RepositoriesPage() {
  const aws = useAws();
  const repos = useResource(() => listRepositories(aws), [aws], 30_000);
  return (
    <section>
      <h1>Repositories</h1>
      <ErrorBox error={repos.error} />
      <Loading when={!repos.data && repos.loading}>
        <Table id="repos" label="Repositories" rows={repos.data ?? []} columns={COLUMNS} rowKey={(r) => r.repositoryName} defaultSort="name" empty="No repositories." />
      </Loading>
    </section>
  );
}
