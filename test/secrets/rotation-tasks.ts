import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';

/** A variable the rotation put in a step task's environment (SECRET_ID, STEP, CLIENT_REQUEST_TOKEN). */
export const envOf = (t: Task, name: string): string | undefined => t.overrides?.containerOverrides?.[0]?.environment?.find((e) => e.name === name)?.value;

/** The rotation step tasks of a secret that have stopped, oldest first. */
export async function stepTasks(ecs: ECSClient, secretArn: string): Promise<Task[]> {
  const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: 'default', startedBy: 'secretsmanager-rotation', desiredStatus: 'STOPPED' }));
  if (!taskArns?.length) return [];
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'default', tasks: taskArns }));
  return (tasks ?? []).filter((t) => envOf(t, 'SECRET_ID') === secretArn).sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
}

/** Polls `probe` every 250 ms until it answers something. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 150_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
