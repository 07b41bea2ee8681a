import { listTaskDefinitionFamilies } from '../aws/ecs.js';
import { href } from '../lib/routes.js';
import { useAws, useResource } from '../ui/hooks.js';
import { Link } from '../ui/link.js';
import { ErrorBox, Loading } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';

const COLUMNS: TableColumn<string>[] = [{ key: 'family', label: 'Family', value: (f) => f, cell: (f) => <Link href={href({ page: 'task-definition', family: f })}>{f}</Link> }];

export function TaskDefinitionsPage() {
  const aws = useAws();
  const families = useResource(() => listTaskDefinitionFamilies(aws), [aws]);
  return (
    <section>
      <h1>Task definitions</h1>
      <ErrorBox error={families.error} />
      <Loading when={!families.data && families.loading}>
        <Table id="families" label="Task definition families" rows={families.data ?? []} columns={COLUMNS} rowKey={(f) => f} defaultSort="family" empty="No task definitions." />
      </Loading>
    </section>
  );
}
