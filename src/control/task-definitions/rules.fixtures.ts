/** Valid task definitions for the rule tests to break one member at a time (node:assert, so no test runner in src). */
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { deepStrictEqual } from 'node:assert/strict';
import { type DomainError, ErrorKind, isDomainError } from '../../lib/errors.js';
import { checkTaskDefinitionRules } from './rules.js';

/** A container ECS accepts on EC2 and on Fargate. */
export const container = (over: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: 'app',
  image: 'nginx:1.27',
  memory: 256,
  ...over,
});

/** A bridge-mode EC2 task definition with one container. */
export const ec2 = (over: Partial<RegisterTaskDefinitionCommandInput> = {}): RegisterTaskDefinitionCommandInput => ({
  family: 'web',
  containerDefinitions: [container()],
  ...over,
});

/** A Fargate task definition (awsvpc, 256 CPU / 512 MiB) with one container. */
export const fargate = (over: Partial<RegisterTaskDefinitionCommandInput> = {}): RegisterTaskDefinitionCommandInput => ({
  family: 'web',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [container({ memory: undefined })],
  ...over,
});

/** The DomainError the rules throw for `input`, or undefined when they accept it. */
export function rejection(input: RegisterTaskDefinitionCommandInput): DomainError | undefined {
  try {
    checkTaskDefinitionRules(input);
    return undefined;
  } catch (err) {
    if (isDomainError(err)) return err;
    throw err;
  }
}

/** Asserts the rules reject `input` as ECS would: ClientException ("request") or InvalidParameterException ("parameter"). */
export function expectRejected(
  input: RegisterTaskDefinitionCommandInput,
  subject: 'request' | 'parameter',
  message: string,
): void {
  const err = rejection(input);
  deepStrictEqual(
    { kind: err?.kind, subject: err?.subject, message: err?.message },
    { kind: ErrorKind.InvalidArgument, subject, message },
  );
}

/** Asserts the rules accept `input`. */
export function expectAccepted(input: RegisterTaskDefinitionCommandInput): void {
  deepStrictEqual(rejection(input)?.message, undefined);
}
