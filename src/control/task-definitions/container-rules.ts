/**
 * Rules on each container definition on its own (names, image, memory, health check, logging,
 * what the network mode allows). Every message here is ECS's ClientException text where one was
 * found quoted from the live API; the few without a found quote say so.
 */
import { invalidRequest } from '../../lib/errors.js';
import { type Container, type RuleContext, isEssential, isSet, nameOf } from './context.js';

const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** ECS's limit of containers per task definition (service quota, not adjustable). */
const MAX_CONTAINERS = 10;

/** At least one and at most ten containers, each named uniquely and with an image, one essential. */
export function checkContainerList(containers: readonly Container[]): void {
  // "Container list cannot be empty." — CloudFormation user guide PR #454 quoting ECS.
  if (containers.length === 0) throw invalidRequest('Container list cannot be empty.');
  // "Too many containers." — aws/amazon-ecs-cli#184.
  if (containers.length > MAX_CONTAINERS) throw invalidRequest('Too many containers.');
  const seen = new Set<string>();
  for (const c of containers) {
    // Both Container.name messages: hashicorp/terraform#2888, ansible/ansible#22860. No separate
    // text was found for an over-long name, so it shares the invalid-characters one.
    if (!isSet(c.name)) throw invalidRequest('Container.name should not be null or empty.');
    if (!CONTAINER_NAME.test(c.name)) throw invalidRequest('Container.name contains invalid characters.');
    // Shippable/support#2946; the comparison is case-sensitive like every ECS name.
    if (seen.has(c.name)) throw invalidRequest('Container names must be unique within a Task Definition.');
    seen.add(c.name);
    // aws/aws-cli#5924, aws-actions/amazon-ecs-render-task-definition#87.
    if (!isSet(c.image)) throw invalidRequest('Container.image should not be null or empty.');
  }
  // eagletmt/hako#68 (essential defaults to true, so only explicit false counts against it).
  if (!containers.some(isEssential)) throw invalidRequest("Task definition doesn't have any essential container.");
}

/** Without task memory every container needs a memory limit or reservation; the limit may not undercut it. */
export function checkContainerMemory(ctx: RuleContext): void {
  for (const c of ctx.containers) {
    // The API reference asks for "a non-zero integer for one or both", so 0 counts as unset.
    const hard = c.memory ?? 0;
    const soft = c.memoryReservation ?? 0;
    if (ctx.taskMemory === undefined && hard <= 0 && soft <= 0) {
      // aws/aws-cli#4453, sil-org/ecs-deploy#59 (also what ECS answers on FARGATE without task memory,
      // getmoto/moto#7280, so this rule runs before the Fargate task-size ones).
      throw invalidRequest(
        `Invalid setting for container '${nameOf(c)}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      );
    }
    // Equal is allowed (awsdocs/amazon-ecs-developer-guide#242). ECS's own text was not found.
    if (hard > 0 && soft > 0 && hard < soft) {
      throw invalidRequest(
        `Invalid setting for container '${nameOf(c)}'. 'memory' must be greater than or equal to 'memoryReservation'.`,
      );
    }
  }
}

/** Containers may not ask for more than the task has: each memory limit, the reservations, the cpu. */
export function checkTaskResources(ctx: RuleContext): void {
  if (ctx.taskMemory !== undefined) {
    for (const c of ctx.containers) {
      // pulumi/pulumi-awsx#1220.
      if ((c.memory ?? 0) > ctx.taskMemory) {
        throw invalidRequest(`The 'memory' setting for container '${nameOf(c)}' is greater than for the task.`);
      }
    }
    // What a container reserves is its memoryReservation, else its memory (API reference).
    const reserved = ctx.containers.reduce((sum, c) => sum + (c.memoryReservation ?? c.memory ?? 0), 0);
    if (reserved > ctx.taskMemory) {
      // cloudnativedaysjp/dreamkast-infra#4766.
      throw invalidRequest(
        "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.",
      );
    }
  }
  if (ctx.taskCpu !== undefined) {
    const cpu = ctx.containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0);
    if (cpu > ctx.taskCpu) {
      // aws/aws-cdk#24629, cloudnativedaysjp/dreamkast-infra#4726.
      throw invalidRequest("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.");
    }
  }
}

/** The API reference's bounds: interval 5–300, timeout 2–60, retries 1–10, startPeriod 0–300. */
const HEALTH_BOUNDS = [
  ['interval', 5, 300],
  ['timeout', 2, 60],
  ['retries', 1, 10],
  ['startPeriod', 0, 300],
] as const;

/** A health check has a command and timings within the documented bounds. */
export function checkHealthCheck(c: Container): void {
  // The first word is not checked: ECS registers (and the agent runs) commands that start with
  // neither CMD nor CMD-SHELL (aws/aws-cdk#34389). ECS's texts for these were not found; they
  // follow its "Invalid '<field>' setting for container" form.
  const hc = c.healthCheck;
  if (hc === undefined) return;
  if ((hc.command ?? []).length === 0) {
    throw invalidRequest(`Invalid 'healthCheck.command' setting for container '${nameOf(c)}'.`);
  }
  for (const [field, min, max] of HEALTH_BOUNDS) {
    const value = hc[field];
    if (value !== undefined && (value < min || value > max)) {
      throw invalidRequest(`Invalid 'healthCheck.${field}' setting for container '${nameOf(c)}'.`);
    }
  }
}

/** The awslogs driver needs a log group and a region (klothoplatform/klotho#892). */
export function checkLogConfiguration(c: Container): void {
  const log = c.logConfiguration;
  if (log?.logDriver !== 'awslogs') return;
  const missing = ['awslogs-region', 'awslogs-group'].filter((k) => !isSet(log.options?.[k]));
  if (missing.length > 0) throw invalidRequest(`Log driver awslogs requires options: ${missing.join(', ')}`);
}

/** What links, hostname and extraHosts need from the task's network mode. */
export function checkNetworkModeFeatures(ctx: RuleContext, c: Container): void {
  const mode = ctx.networkMode;
  // Links exist only on the bridge network. awsvpc text: aws-observability/aws-otel-collector#1359;
  // host and none reuse it.
  if ((c.links ?? []).length > 0 && mode !== 'bridge') {
    throw invalidRequest(`Links are not supported when networkMode=${mode}.`);
  }
  // labd/ecs-deplojo#26.
  if (isSet(c.hostname) && mode === 'awsvpc') {
    throw invalidRequest('hostname is not supported on container when networkMode=awsvpc.');
  }
  // The API reference excludes extraHosts from awsvpc; the text mirrors the hostname one.
  if ((c.extraHosts ?? []).length > 0 && mode === 'awsvpc') {
    throw invalidRequest('extraHosts is not supported on container when networkMode=awsvpc.');
  }
}

/** Secrets are fetched with the execution role, on every launch type (fabfuel/ecs-deploy#87). */
export function checkSecretsNeedRole(ctx: RuleContext): void {
  if (isSet(ctx.input.executionRoleArn)) return;
  const secrets = ctx.containers.some(
    (c) => (c.secrets ?? []).length > 0 || (c.logConfiguration?.secretOptions ?? []).length > 0,
  );
  if (secrets) {
    throw invalidRequest("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.");
  }
}

/** Runs the per-container rules that need nothing from other containers. */
export function checkEachContainer(ctx: RuleContext): void {
  for (const c of ctx.containers) {
    checkNetworkModeFeatures(ctx, c);
    checkHealthCheck(c);
    checkLogConfiguration(c);
  }
}
