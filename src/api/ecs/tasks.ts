import type {
  DescribeTasksRequest,
  GetTaskProtectionRequest,
  UpdateTaskProtectionRequest,
  ListTasksRequest,
  RunTaskRequest,
  StartTaskRequest,
  StopTaskRequest,
} from '@aws-sdk/client-ecs';
import type { EcsControl } from '../../control/ecs-control.js';
import { given, refuseNotActedOn } from '../../control/not-acted-on.js';
import type { ProtectionView } from '../../control/tasks/protection.js';
import type { TaskRecord } from '../../control/tasks/task.js';
import type { TagStore } from '../../control/tags.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize } from './paging.js';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** The wire Task: timestamps in epoch seconds; tags only when asked for. */
async function taskWire(task: TaskRecord, tags: TagStore | undefined) {
  const { taskId: _id, region: _region, networkConfiguration: _net, hostPorts: _ports, protection: _protection, traffic, ...wire } = task;
  return {
    ...wire,
    // A task draining its load-balancer targets is being stopped, as ECS shows it (DEACTIVATING, desired STOPPED).
    ...(traffic?.stop && { desiredStatus: 'STOPPED' }),
    createdAt: seconds(task.createdAt),
    pullStartedAt: seconds(task.pullStartedAt),
    pullStoppedAt: seconds(task.pullStoppedAt),
    startedAt: seconds(task.startedAt),
    stoppingAt: seconds(task.stoppingAt),
    stoppedAt: seconds(task.stoppedAt),
    executionStoppedAt: seconds(task.executionStoppedAt),
    connectivityAt: seconds(task.connectivityAt),
    tags: tags ? await tags.get(task.taskArn) : [],
  };
}

/** The wire ProtectedTask: expirationDate in epoch seconds. */
const protectedTaskWire = (p: ProtectionView) => ({ ...p, ...(p.expirationDate !== undefined && { expirationDate: p.expirationDate / 1000 }) });

/** Handlers of the task operations. */
export function taskHandlers(ecs: EcsControl): Record<string, OperationHandler> {
  const { tasks, tags } = ecs;
  return {
    async RunTask(input: RunTaskRequest, { scope }) {
      const result = await tasks.run(scope, input);
      return { tasks: await Promise.all(result.tasks.map((t) => taskWire(t, tags))), failures: result.failures };
    },
    async StartTask(input: StartTaskRequest, { scope }) {
      const result = await tasks.start(scope, input);
      return { tasks: await Promise.all(result.tasks.map((t) => taskWire(t, tags))), failures: result.failures };
    },
    async StopTask(input: StopTaskRequest, { scope }) {
      const task = await tasks.stop(scope, input.cluster, input.task!, input.reason);
      return { task: await taskWire(task, undefined) };
    },
    async DescribeTasks(input: DescribeTasksRequest, { scope }) {
      const withTags = input.include?.includes('TAGS') ?? false;
      const { found, failures } = await tasks.describe(scope, input.cluster, input.tasks ?? []);
      return { tasks: await Promise.all(found.map((t) => taskWire(t, withTags ? tags : undefined))), failures };
    },
    async UpdateTaskProtection(input: UpdateTaskProtectionRequest, { scope }) {
      const out = await ecs.taskProtection.update(scope, {
        cluster: input.cluster,
        tasks: input.tasks ?? [],
        protectionEnabled: input.protectionEnabled === true,
        ...(input.expiresInMinutes !== undefined && { expiresInMinutes: input.expiresInMinutes }),
      });
      return { protectedTasks: out.protectedTasks.map(protectedTaskWire), failures: out.failures };
    },
    async GetTaskProtection(input: GetTaskProtectionRequest, { scope }) {
      const out = await ecs.taskProtection.get(scope, input.cluster, input.tasks);
      return { protectedTasks: out.protectedTasks.map(protectedTaskWire), failures: out.failures };
    },
    async ListTasks(input: ListTasksRequest, { scope }) {
      // No ECS daemons here (CreateDaemon is not served): refused before anything is read.
      refuseNotActedOn([['daemonName (this endpoint has no ECS daemons)', given(input.daemonName)]]);
      const page = await tasks.list(scope, input.cluster, {
        ...(input.family !== undefined && { family: input.family }),
        ...(input.startedBy !== undefined && { startedBy: input.startedBy }),
        ...(input.serviceName !== undefined && { serviceName: input.serviceName }),
        ...(input.desiredStatus !== undefined && { desiredStatus: input.desiredStatus }),
        ...(input.launchType !== undefined && { launchType: input.launchType }),
        ...(input.containerInstance !== undefined && { containerInstance: input.containerInstance }),
        maxResults: pageSize('ListTasks', input.maxResults),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
      });
      return { taskArns: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
    },
  };
}
