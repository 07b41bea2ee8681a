/**
 * Task definition members ECS acts on and this endpoint does not. Stored and shown back, they
 * would read as honoured while nothing happens (a proxy configuration that never redirects
 * traffic through the mesh, a Windows family that runs as Linux), so they are refused.
 *
 * ephemeralStorage is deliberately absent: Terraform configurations set it often, and it is
 * stored and shown back, though the task's writable layer is not sized to it.
 */
import { given, refuseNotActedOn } from '../not-acted-on.js';
import type { TaskDefinitionInput } from './context.js';

/** Refuses the first member of `input` that this endpoint does not act on. */
export function refuseTaskDefinitionMembers(input: TaskDefinitionInput): void {
  const family = input.runtimePlatform?.operatingSystemFamily;
  refuseNotActedOn([
    ['proxyConfiguration (App Mesh proxy wiring)', given(input.proxyConfiguration)],
    ['enableFaultInjection', input.enableFaultInjection === true],
    ['inferenceAccelerators (Elastic Inference)', given(input.inferenceAccelerators)],
    [
      'containerDefinitions.resourceRequirements of type InferenceAccelerator (Elastic Inference)',
      (input.containerDefinitions ?? []).some((c) => (c.resourceRequirements ?? []).some((r) => r.type === 'InferenceAccelerator')),
    ],
    [`runtimePlatform.operatingSystemFamily ${family} (Windows containers; only LINUX runs here)`, given(family) && family !== 'LINUX'],
  ]);
}
