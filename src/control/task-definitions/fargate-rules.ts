/**
 * What a task definition that requires FARGATE must satisfy: awsvpc, a supported task size, none
 * of the host-level features Fargate does not offer, and an execution role for what Fargate
 * fetches on the task's behalf. All ClientException.
 */
import { invalidRequest } from '../../lib/errors.js';
import { type Container, type RuleContext, isSet } from './context.js';
import { isFargateSize } from './fargate-sizes.js';

/** Log drivers Fargate offers (LogConfiguration API reference). */
const FARGATE_LOG_DRIVERS: ReadonlySet<string> = new Set(['awslogs', 'splunk', 'awsfirelens']);

/** A private ECR image, which Fargate pulls with the execution role. */
const PRIVATE_ECR = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

// The form ECS uses for every host-level feature Fargate lacks: sourcePath
// (cloudposse/terraform-aws-ecs-alb-service-task#174), sharedMemorySize
// (cloudposse/terraform-aws-ecs-container-definition#143); devices, dockerVolumeConfiguration,
// constraints, maxSwap and dockerSecurityOptions are quoted the same way by public lint rules and
// tests; privileged and swappiness follow the form.
const unsupported = (what: string) => invalidRequest(`Fargate compatible task definitions do not support ${what}`);

/** The task size: awsvpc, cpu and memory both set, and one of Fargate's combinations. */
function checkTaskSize(ctx: RuleContext): void {
  // The curly quotes are ECS's own (aws/amazon-ecs-cli#1145, awslabs/ecs-nginx-reverse-proxy#1).
  if (ctx.networkMode !== 'awsvpc') throw invalidRequest('Fargate only supports network mode ‘awsvpc’.');
  // mongodb/terraform-aws-ecs-task-definition#38, hashicorp/terraform-provider-aws#6879.
  if (ctx.taskCpu === undefined) throw invalidRequest("Fargate requires that 'cpu' be defined at the task level.");
  // aws/amazon-ecs-cli#982.
  if (ctx.taskMemory === undefined) throw invalidRequest("Fargate requires that 'memory' be defined at the task level.");
  // aws-games/cloud-game-development-toolkit#737, towardsthecloud/aws-cdk-examples#1.
  if (!isFargateSize(ctx.taskCpu, ctx.taskMemory)) {
    throw invalidRequest(
      `No Fargate configuration exists for given values: ${ctx.taskCpu} CPU, ${ctx.taskMemory} memory. ` +
        'See the Amazon ECS documentation for the valid values.',
    );
  }
}

/** Task-level members Fargate does not offer. */
function checkTaskFeatures(ctx: RuleContext): void {
  const { input } = ctx;
  // cn-terraform/terraform-aws-ecs-fargate#2.
  if (input.ipcMode !== undefined) throw invalidRequest('Tasks using the Fargate launch type do not support ipcMode.');
  // Text as getmoto/moto reproduces it; "task" is Fargate's only pidMode.
  if (input.pidMode !== undefined && input.pidMode !== 'task') {
    throw invalidRequest(
      `Tasks using the Fargate launch type do not support pidMode '${input.pidMode}'. The supported value for pidMode is 'task'.`,
    );
  }
  if ((input.placementConstraints ?? []).length > 0) throw unsupported('constraints');
  for (const v of input.volumes ?? []) {
    if (isSet(v.host?.sourcePath)) throw unsupported('sourcePath');
    if (v.dockerVolumeConfiguration !== undefined) throw unsupported('dockerVolumeConfiguration');
  }
}

/** Container-level members Fargate does not offer. */
function checkContainerFeatures(c: Container): void {
  const linux = c.linuxParameters;
  if (c.privileged === true) throw unsupported('privileged');
  if ((linux?.devices ?? []).length > 0) throw unsupported('devices');
  if (linux?.sharedMemorySize !== undefined) throw unsupported('sharedMemorySize');
  if (linux?.maxSwap !== undefined) throw unsupported('maxSwap');
  if (linux?.swappiness !== undefined) throw unsupported('swappiness');
  if ((c.dockerSecurityOptions ?? []).length > 0) throw unsupported('dockerSecurityOptions');
  const driver = c.logConfiguration?.logDriver;
  // aws/containers-roadmap#669 ("gelf is not a valid log driver"); the rest of ECS's sentence
  // was not found.
  if (driver !== undefined && !FARGATE_LOG_DRIVERS.has(driver)) throw invalidRequest(`${driver} is not a valid log driver`);
}

/** What Fargate fetches with the execution role: private ECR images and awslogs streams. */
function checkExecutionRole(ctx: RuleContext, c: Container): void {
  if (isSet(ctx.input.executionRoleArn)) return;
  // hashicorp/terraform-provider-aws#3051, nathanpeck/aws-cloudformation-fargate#1.
  if (PRIVATE_ECR.test(c.image ?? '')) {
    throw invalidRequest('Fargate requires task definition to have execution role ARN to support ECR images.');
  }
  // virtual-kubelet/virtual-kubelet#193.
  if (c.logConfiguration?.logDriver === 'awslogs') {
    throw invalidRequest('Fargate requires task definition to have execution role ARN to support log driver awslogs.');
  }
}

/** Every Fargate rule, when the request requires FARGATE. */
export function checkFargate(ctx: RuleContext): void {
  if (!ctx.fargate) return;
  checkTaskSize(ctx);
  checkTaskFeatures(ctx);
  for (const c of ctx.containers) checkContainerFeatures(c);
  for (const c of ctx.containers) checkExecutionRole(ctx, c);
}
