import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';

/** Task definition revision statuses, as ECS names them. */
export const TaskDefinitionStatus = {
  Active: 'ACTIVE',
  Inactive: 'INACTIVE',
  DeleteInProgress: 'DELETE_IN_PROGRESS',
} as const;
/** One of {@link TaskDefinitionStatus}. */
export type TaskDefinitionStatus = (typeof TaskDefinitionStatus)[keyof typeof TaskDefinitionStatus];

/** What RegisterTaskDefinition accepts (the wire shape, tags aside). */
export type TaskDefinitionInput = Omit<RegisterTaskDefinitionCommandInput, 'tags'>;

/**
 * One stored revision: the registered definition kept verbatim (with the defaults ECS fills in)
 * plus what ECS adds. Timestamps are epoch milliseconds.
 */
export type TaskDefinitionRecord = Omit<
  TaskDefinition,
  'registeredAt' | 'deregisteredAt' | 'deleteRequestedAt' | 'status'
> & {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: TaskDefinitionStatus;
  registeredAt: number;
  deregisteredAt?: number;
  deleteRequestedAt?: number;
};

/** Per-family bookkeeping: revisions are never reused, even after deletion. */
export interface FamilyRecord {
  family: string;
  latestRevision: number;
  /** How many revisions are ACTIVE; a family with none is INACTIVE. */
  activeRevisions: number;
}

/** ECS's limit on revisions per family. */
export const MAX_REVISIONS = 1_000_000;
