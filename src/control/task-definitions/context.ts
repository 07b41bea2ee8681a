/** What every task definition rule needs to know, worked out once per request. */
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';

/** The RegisterTaskDefinition request the rules read. */
export type TaskDefinitionInput = RegisterTaskDefinitionCommandInput;

/** One container definition of the request. */
export type Container = ContainerDefinition;

/** The request plus the facts several rules share. */
export interface RuleContext {
  readonly input: TaskDefinitionInput;
  readonly containers: readonly Container[];
  /** `networkMode` with ECS's default applied: bridge when omitted (Linux). */
  readonly networkMode: string;
  /** FARGATE is among `requiresCompatibilities` (ECS validates against it even next to EC2). */
  readonly fargate: boolean;
  /** Task cpu in units, when the request sets one. */
  readonly taskCpu: number | undefined;
  /** Task memory in MiB, when the request sets one. */
  readonly taskMemory: number | undefined;
}

/** A container's name for messages; ECS quotes the name as given. */
export const nameOf = (c: Container): string => c.name ?? '';

/** `essential` defaults to true when omitted (ContainerDefinition API reference). */
export const isEssential = (c: Container): boolean => c.essential !== false;

/** A request member that is present and not an empty string (the SDK types allow ""). */
export const isSet = (s: string | undefined): s is string => s !== undefined && s !== '';
