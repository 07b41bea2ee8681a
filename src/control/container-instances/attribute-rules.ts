import { arch } from 'node:os';
import type { Attribute } from '@aws-sdk/client-ecs';
import { DomainError, ErrorKind, invalidParameter } from '../../lib/errors.js';

/** ECS's limit of custom attributes per resource, and of attributes per PutAttributes call. */
export const MAX_CUSTOM_ATTRIBUTES = 10;

// From the API reference of Attribute: names of letters, numbers, - _ / \ . (1–128); values
// also allow @ : and spaces, but may not start or end with a space.
const NAME = /^[a-zA-Z0-9_\-/\\.]{1,128}$/;
const VALUE = /^[a-zA-Z0-9_\-.@/\\: ]{1,128}$/;

/** The only target type ECS attributes have. */
export const TARGET_TYPE = 'container-instance';

/**
 * Attributes ECS and its agent set themselves (`ecs.*`, `com.amazonaws.ecs.*`, and this
 * platform's `minato.*`): they do not count against the custom-attribute limit.
 */
export function isSystemAttribute(name: string): boolean {
  return name.startsWith('ecs.') || name.startsWith('com.amazonaws.ecs.') || name.startsWith('minato.');
}

/** Rejects an attribute whose name or value ECS would refuse. */
export function checkAttribute(attribute: Attribute): void {
  if (!NAME.test(attribute.name ?? '')) {
    throw invalidParameter(
      `Attribute name "${attribute.name ?? ''}" is invalid. The name must contain between 1 and 128 characters: letters, numbers, hyphens, underscores, forward slashes, back slashes or periods.`,
    );
  }
  const value = attribute.value;
  if (value !== undefined && (!VALUE.test(value) || value.startsWith(' ') || value.endsWith(' '))) {
    throw invalidParameter(
      `Attribute value "${value}" of "${attribute.name}" is invalid. The value must contain between 1 and 128 characters: letters, numbers, hyphens, underscores, periods, at signs, forward slashes, back slashes, colons or spaces, and cannot start or end with a space.`,
    );
  }
}

/** An attribute as stored on an instance: name and value only (no target members). */
export function bare(attribute: Attribute): Attribute {
  return attribute.value === undefined ? { name: attribute.name } : { name: attribute.name, value: attribute.value };
}

/** `current` with `added` put in by name (a new value replaces the old one), order kept. */
export function mergeAttributes(current: readonly Attribute[], added: readonly Attribute[]): Attribute[] {
  const byName = new Map(current.map((a) => [a.name, a]));
  for (const a of added) byName.set(a.name, bare(a));
  return [...byName.values()];
}

/** Throws ECS's AttributeLimitExceeded when `attributes` hold more custom ones than allowed. */
export function checkCustomLimit(attributes: readonly Attribute[]): void {
  const custom = attributes.filter((a) => !isSystemAttribute(a.name ?? '')).length;
  if (custom > MAX_CUSTOM_ATTRIBUTES) {
    throw new DomainError(
      ErrorKind.LimitExceeded,
      `You can apply up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes for each resource.`,
      'attributes',
    );
  }
}

/** The ECS name of the host's CPU architecture (`x86_64`, `arm64`), as the agent reports it. */
export function hostCpuArchitecture(): string {
  const a = arch();
  return a === 'x64' ? 'x86_64' : a === 'arm64' ? 'arm64' : a;
}

/** Docker remote API versions whose capability attributes the agent registers (1.17 … 1.44). */
const DOCKER_API_MINORS = Array.from({ length: 44 - 17 + 1 }, (_, i) => 17 + i);

/**
 * Capabilities of this platform's agent, named as the ECS agent registers them: task
 * definitions record the ones they need in `requiresAttributes`, and placement checks them.
 * Only what the platform really does is listed.
 */
const CAPABILITIES: readonly string[] = [
  ...DOCKER_API_MINORS.map((m) => `com.amazonaws.ecs.capability.docker-remote-api.1.${m}`),
  'com.amazonaws.ecs.capability.logging-driver.awslogs',
  'com.amazonaws.ecs.capability.logging-driver.none',
  'com.amazonaws.ecs.capability.ecr-auth',
  'ecs.capability.execution-role-ecr-pull',
  'ecs.capability.execution-role-awslogs',
  'ecs.capability.secrets.asm.environment-variables',
  'ecs.capability.secrets.ssm.environment-variables',
  'ecs.capability.container-health-check',
  'ecs.capability.container-ordering',
  'ecs.capability.task-cpu-mem-limit',
  'ecs.capability.task-eni',
];

/** Facts about an instance that ECS records as attributes at registration. */
export interface InstanceFacts {
  availabilityZone: string;
  instanceType: string;
  cpuArchitecture: string;
}

/** ECS's automatic attributes of an instance (zone, type, OS, architecture) and the agent's capabilities. */
export function automaticAttributes(facts: InstanceFacts): Attribute[] {
  return [
    ...CAPABILITIES.map((name) => ({ name })),
    { name: 'ecs.os-type', value: 'linux' },
    { name: 'ecs.os-family', value: 'LINUX' },
    { name: 'ecs.cpu-architecture', value: facts.cpuArchitecture },
    { name: 'ecs.availability-zone', value: facts.availabilityZone },
    { name: 'ecs.instance-type', value: facts.instanceType },
  ];
}
