import { useMemo } from 'preact/hooks';
import { arnName, type Task } from '../aws/ecs-types.js';
import { href } from '../lib/routes.js';
import { fromEpochSeconds } from '../lib/time.js';
import { Link } from '../ui/link.js';
import { Status } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';
import { Time } from '../ui/time.js';

function columns(cluster: string): TableColumn<Task>[] {
  return [
    {
      key: 'id',
      label: 'Task',
      value: (t) => arnName(t.taskArn),
      cell: (t) => (
        <Link href={href({ page: 'task', cluster, task: arnName(t.taskArn) })} class="mono">
          {arnName(t.taskArn).slice(0, 12)}
        </Link>
      ),
    },
    { key: 'last', label: 'Last status', value: (t) => t.lastStatus, cell: (t) => <Status value={t.lastStatus} /> },
    { key: 'desired', label: 'Desired', value: (t) => t.desiredStatus },
    { key: 'health', label: 'Health', value: (t) => t.healthStatus, cell: (t) => <Status value={t.healthStatus} /> },
    { key: 'taskDefinition', label: 'Revision', value: (t) => arnName(t.taskDefinitionArn) },
    { key: 'started', label: 'Started', value: (t) => t.startedAt ?? t.createdAt, cell: (t) => <Time date={fromEpochSeconds(t.startedAt ?? t.createdAt)} /> },
    { key: 'stopped', label: 'Stopped reason', value: (t) => t.stoppedReason },
  ];
}

/** Tasks, newest first, 50 a page: a service of 1,000 tasks renders one page of rows. */
export function TasksTable(props: { id: string; cluster: string; tasks: readonly Task[] }) {
  const cols = useMemo(() => columns(props.cluster), [props.cluster]);
  return <Table id={props.id} label="Tasks" rows={props.tasks} columns={cols} rowKey={(t) => t.taskArn} defaultSort="-started" empty="No tasks." />;
}
