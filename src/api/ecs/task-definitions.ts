import type {
  DeleteTaskDefinitionsRequest,
  DeregisterTaskDefinitionRequest,
  DescribeTaskDefinitionRequest,
  ListTaskDefinitionFamiliesRequest,
  ListTaskDefinitionsRequest,
  RegisterTaskDefinitionRequest,
} from '@aws-sdk/client-ecs';
import type { EcsControl } from '../../control/ecs-control.js';
import type { TaskDefinitionRecord, TaskDefinitionStatus } from '../../control/task-definitions/task-definition.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize } from './paging.js';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** The wire TaskDefinition: timestamps in epoch seconds, as JSON 1.1 carries them. */
function taskDefinitionWire(td: TaskDefinitionRecord) {
  return {
    ...td,
    registeredAt: seconds(td.registeredAt),
    deregisteredAt: seconds(td.deregisteredAt),
    deleteRequestedAt: seconds(td.deleteRequestedAt),
  };
}

/** Handlers of the task definition operations. */
export function taskDefinitionHandlers(ecs: EcsControl): Record<string, OperationHandler> {
  const { taskDefinitions, tags } = ecs;
  return {
    async RegisterTaskDefinition(input: RegisterTaskDefinitionRequest, { scope }) {
      const { tags: tagList, ...definition } = input;
      const td = await taskDefinitions.register(scope, definition, tagList ?? []);
      return { taskDefinition: taskDefinitionWire(td), tags: tagList ?? [] };
    },
    async DescribeTaskDefinition(input: DescribeTaskDefinitionRequest, { scope }) {
      const td = await taskDefinitions.describe(scope, input.taskDefinition!);
      const withTags = input.include?.includes('TAGS');
      return {
        taskDefinition: taskDefinitionWire(td),
        ...(withTags && { tags: await tags.get(td.taskDefinitionArn) }),
      };
    },
    async ListTaskDefinitions(input: ListTaskDefinitionsRequest, { scope }) {
      const page = await taskDefinitions.list(scope, {
        ...(input.familyPrefix !== undefined && { familyPrefix: input.familyPrefix }),
        ...(input.status !== undefined && { status: input.status as TaskDefinitionStatus }),
        ...(input.sort !== undefined && { sort: input.sort }),
        maxResults: pageSize('ListTaskDefinitions', input.maxResults),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
      });
      return { taskDefinitionArns: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    async ListTaskDefinitionFamilies(input: ListTaskDefinitionFamiliesRequest, { scope }) {
      const page = await taskDefinitions.listFamilies(scope, {
        ...(input.familyPrefix !== undefined && { familyPrefix: input.familyPrefix }),
        ...(input.status !== undefined && { status: input.status }),
        maxResults: pageSize('ListTaskDefinitionFamilies', input.maxResults),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
      });
      return { families: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    async DeregisterTaskDefinition(input: DeregisterTaskDefinitionRequest, { scope }) {
      return { taskDefinition: taskDefinitionWire(await taskDefinitions.deregister(scope, input.taskDefinition!)) };
    },
    async DeleteTaskDefinitions(input: DeleteTaskDefinitionsRequest, { scope }) {
      const { deleted, failures } = await taskDefinitions.delete(scope, input.taskDefinitions ?? []);
      return { taskDefinitions: deleted.map(taskDefinitionWire), failures };
    },
  };
}
