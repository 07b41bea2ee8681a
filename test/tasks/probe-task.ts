/**
 * Helpers for tests that observe container semantics through exit codes: a probe is a container
 * whose script exits with a chosen code when everything it checks holds, and with a small code
 * naming the first failed check otherwise.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  CreateClusterCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type ContainerDefinition,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { isStopped, waitForTask } from './task-fixture.js';
import { DEFAULT_NETWORK } from '../support/default-vpc.js';

/** The subnet and security group every awsvpc test task is started with. */
const AWSVPC = DEFAULT_NETWORK;

/**
 * Registers a definition and runs one task of it: Fargate with an awsvpc configuration when the
 * definition uses awsvpc, else the EC2 launch type. Returns the task as RunTask answered.
 */
export async function registerAndRun(
  ecs: ECSClient,
  cluster: string,
  definition: RegisterTaskDefinitionCommandInput,
  run: Partial<RunTaskCommandInput> = {},
): Promise<Task> {
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand(definition));
  const awsvpc = definition.networkMode === 'awsvpc';
  const res = await ecs.send(
    new RunTaskCommand({
      cluster,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      launchType: awsvpc ? 'FARGATE' : 'EC2',
      ...(awsvpc && { networkConfiguration: AWSVPC }),
      ...run,
    }),
  );
  if (res.failures?.length || !res.tasks?.[0]) throw new Error(`RunTask failed: ${JSON.stringify(res.failures)}`);
  return res.tasks[0];
}

/** What a probe task ended with: exit codes by container name, and the stopped task. */
export interface ProbeResult {
  exitCodes: Record<string, number | undefined>;
  task: Task;
}

/**
 * Runs the probes as non-essential containers of one Fargate task, with an essential `done`
 * container that starts once every probe has exited (dependsOn COMPLETE) and then ends the task.
 * One task (one network) for many probes keeps the test quick.
 */
export async function runProbes(
  ecs: ECSClient,
  cluster: string,
  family: string,
  image: string,
  probes: ContainerDefinition[],
  extra: { definition?: Partial<RegisterTaskDefinitionCommandInput>; run?: Partial<RunTaskCommandInput> } = {},
): Promise<ProbeResult> {
  const done: ContainerDefinition = {
    name: 'done',
    image,
    command: ['true'],
    dependsOn: probes.map((p) => ({ containerName: p.name!, condition: 'COMPLETE' })),
  };
  const started = await registerAndRun(ecs, cluster, {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    ...extra.definition,
    containerDefinitions: [...probes.map((p) => ({ ...p, essential: false })), done],
  }, extra.run);
  const task = await waitForTask(ecs, cluster, started.taskArn!, isStopped);
  const exitCodes = Object.fromEntries(probes.map((p) => [p.name!, task.containers?.find((c) => c.name === p.name)?.exitCode]));
  return { exitCodes, task };
}

/**
 * The output of a task's containers as the agent wrote it on this host (k8s-file lines), for
 * assertion messages only: logs are not readable through an API yet.
 */
export async function taskLogs(dataDir: string, task: Task): Promise<string> {
  const id = task.taskArn!.split('/').pop()!;
  const parts = await Promise.all(
    (task.containers ?? []).map(async (c) => {
      const text = await readFile(join(dataDir, 'tasks', id, `${c.name}.log`), 'utf8').catch(() => '(no log)');
      return `--- ${c.name} (exit ${c.exitCode}, ${c.reason ?? 'no reason'})\n${text}`;
    }),
  );
  return `${task.stoppedReason ?? ''}\n${parts.join('\n')}`;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Shell lines that run each check in turn and, at the first that fails, exit with its position (1, 2, …). */
export function guards(...tests: string[]): string {
  return tests.map((t, i) => `{ ${t}; } || exit ${i + 1}`).join('\n');
}

/** A probe script: {@link guards}, then `exit code` when every check passed. */
export function script(code: number, ...tests: string[]): string {
  return `${guards(...tests)}\nexit ${code}`;
}

/** {@link script} as a `sh -c` command, for images without an entrypoint. */
export function checks(code: number, ...tests: string[]): string[] {
  return ['sh', '-c', script(code, ...tests)];
}
