/**
 * The semantic rules ECS applies on RegisterTaskDefinition beyond its API model: the request has
 * already passed model validation (types, required members, lengths, enums), so these are the
 * cross-field rules behind ECS's ClientException and InvalidParameterException answers.
 *
 * Order matters only for which error a request with several faults gets; it follows what is known
 * of ECS's order (container memory before the Fargate task size, per getmoto/moto#7280) and is
 * otherwise task → containers → references → totals.
 */
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { invalidRequest } from '../../lib/errors.js';
import { checkTags } from '../tags.js';
import {
  checkContainerList,
  checkContainerMemory,
  checkEachContainer,
  checkSecretsNeedRole,
  checkTaskResources,
} from './container-rules.js';
import { type RuleContext, type TaskDefinitionInput, isSet } from './context.js';
import { checkFargate } from './fargate-rules.js';
import { checkFirelensPairing } from './firelens-rules.js';
import { checkLinuxRules } from './linux-rules.js';
import { refuseTaskDefinitionMembers } from './not-acted-on-rules.js';
import { checkPortMappings } from './port-rules.js';
import { checkReferenceRules } from './reference-rules.js';
import { INVALID_TASK_CPU, normalizeTaskCpu, normalizeTaskMemory } from './units.js';

export { fargateMemoryChoices } from './fargate-sizes.js';
export { normalizeTaskCpu, normalizeTaskMemory } from './units.js';

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;

/** Task cpu ECS takes outside Fargate: 128 (0.125 vCPU) to 196608 (192 vCPU) units (API reference). */
const EC2_CPU_MIN = 128;
const EC2_CPU_MAX = 196608;

/** family: 1–255 letters, digits, hyphens and underscores. */
function checkFamily(family: string | undefined): void {
  // aws-actions/amazon-ecs-deploy-task-definition#630 (blank), aws/amazon-ecs-cli#37 and #542
  // (characters; no separate text was found for an over-long family).
  if (!isSet(family)) throw invalidRequest('Family can not be blank.');
  if (!FAMILY.test(family)) throw invalidRequest('Family contains invalid characters.');
}

/** Task cpu and memory read as numbers, cpu within the EC2 range. */
function taskSize(input: TaskDefinitionInput): { cpu: number | undefined; memory: number | undefined } {
  const cpu = isSet(input.cpu) ? normalizeTaskCpu(input.cpu) : undefined;
  // "Troubleshoot Amazon ECS task definition invalid CPU or memory errors" (ClientException).
  if (cpu !== undefined && (cpu < EC2_CPU_MIN || cpu > EC2_CPU_MAX)) throw invalidRequest(INVALID_TASK_CPU);
  const memory = isSet(input.memory) ? normalizeTaskMemory(input.memory) : undefined;
  return { cpu, memory };
}

/** Throws the first rule ECS would reject this task definition for. */
export function checkTaskDefinitionRules(input: RegisterTaskDefinitionCommandInput): void {
  checkFamily(input.family);
  // What this endpoint cannot honour is refused before ECS's own rules judge the rest.
  refuseTaskDefinitionMembers(input);
  const containers = input.containerDefinitions ?? [];
  checkContainerList(containers);
  const size = taskSize(input);
  const ctx: RuleContext = {
    input,
    containers,
    networkMode: input.networkMode ?? 'bridge',
    fargate: (input.requiresCompatibilities ?? []).includes('FARGATE'),
    taskCpu: size.cpu,
    taskMemory: size.memory,
  };
  checkContainerMemory(ctx);
  checkFargate(ctx);
  checkSecretsNeedRole(ctx);
  checkEachContainer(ctx);
  checkLinuxRules(ctx);
  checkPortMappings(ctx);
  checkReferenceRules(ctx);
  checkFirelensPairing(ctx);
  checkTaskResources(ctx);
  // Tags follow the rules every ECS resource shares (one place, one text); the 50-tag limit is in the model.
  checkTags(input.tags ?? []);
}
