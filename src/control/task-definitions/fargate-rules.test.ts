import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FARGATE_CPUS } from './fargate-sizes.js';
import { container, expectAccepted, expectRejected, fargate, rejection } from './rules.fixtures.js';
import { fargateMemoryChoices } from './rules.js';

const noSize = (cpu: number, memory: number) =>
  `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`;

describe('fargateMemoryChoices', () => {
  it('lists the documented table', () => {
    expect(fargateMemoryChoices(256)).toEqual([512, 1024, 2048]);
    expect(fargateMemoryChoices(512)).toEqual([1024, 2048, 3072, 4096]);
    expect(fargateMemoryChoices(1024)).toEqual([2048, 3072, 4096, 5120, 6144, 7168, 8192]);
    expect(fargateMemoryChoices(2048)).toHaveLength(13);
    expect(fargateMemoryChoices(4096)).toHaveLength(23);
    expect(fargateMemoryChoices(8192)).toEqual(Array.from({ length: 12 }, (_, i) => 16384 + 4096 * i));
    expect(fargateMemoryChoices(16384)).toEqual(Array.from({ length: 12 }, (_, i) => 32768 + 8192 * i));
    expect(FARGATE_CPUS.reduce((n, cpu) => n + fargateMemoryChoices(cpu).length, 0)).toBe(74);
    expect(fargateMemoryChoices(32768)).toEqual([]);
  });

  it('agrees with the rules: every listed memory is accepted with its cpu, every other one rejected', () => {
    const cpu = fc.oneof(fc.constantFrom(...FARGATE_CPUS), fc.integer({ min: 128, max: 196608 }));
    fc.assert(
      fc.property(cpu, fc.integer({ min: 1, max: 131072 }), (cpu, memory) => {
        const err = rejection(fargate({ cpu: String(cpu), memory: String(memory) }));
        if (fargateMemoryChoices(cpu).includes(memory)) expect(err).toBeUndefined();
        else expect(err?.message).toBe(noSize(cpu, memory));
      }),
    );
    for (const c of FARGATE_CPUS) for (const m of fargateMemoryChoices(c)) expectAccepted(fargate({ cpu: String(c), memory: String(m) }));
  });
});

describe('Fargate task size', () => {
  it('needs awsvpc', () => {
    expectRejected(fargate({ networkMode: 'bridge' }), 'request', 'Fargate only supports network mode ‘awsvpc’.');
    expectRejected(fargate({ networkMode: undefined }), 'request', 'Fargate only supports network mode ‘awsvpc’.');
  });

  it('needs task cpu and memory', () => {
    expectRejected(fargate({ cpu: undefined }), 'request', "Fargate requires that 'cpu' be defined at the task level.");
    const sized = container({ memory: 512 });
    expectRejected(
      fargate({ memory: undefined, containerDefinitions: [sized] }),
      'request',
      "Fargate requires that 'memory' be defined at the task level.",
    );
  });

  it('needs a supported combination, named in normalised units', () => {
    expectRejected(fargate({ cpu: '512', memory: '8192' }), 'request', noSize(512, 8192));
    expectRejected(fargate({ cpu: '0.5 vCPU', memory: '8 GB' }), 'request', noSize(512, 8192));
    expectAccepted(fargate({ cpu: '0.25 vcpu', memory: '0.5GB' }));
  });

  it('applies even next to EC2', () =>
    expectRejected(fargate({ requiresCompatibilities: ['EC2', 'FARGATE'], memory: '4096' }), 'request', noSize(256, 4096)));
});

describe('Fargate unsupported features', () => {
  const unsupported = (what: string) => `Fargate compatible task definitions do not support ${what}`;
  const withContainer = (over: Parameters<typeof container>[0]) => fargate({ containerDefinitions: [container({ memory: undefined, ...over })] });

  it('rejects ipcMode and any pidMode but task', () => {
    expectRejected(fargate({ ipcMode: 'task' }), 'request', 'Tasks using the Fargate launch type do not support ipcMode.');
    expectRejected(
      fargate({ pidMode: 'host' }),
      'request',
      "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.",
    );
    expectAccepted(fargate({ pidMode: 'task' }));
  });

  it('rejects placement constraints, host paths and Docker volumes', () => {
    expectRejected(fargate({ placementConstraints: [{ type: 'memberOf', expression: 'x' }] }), 'request', unsupported('constraints'));
    expectRejected(fargate({ volumes: [{ name: 'v', host: { sourcePath: '/srv' } }] }), 'request', unsupported('sourcePath'));
    expectRejected(fargate({ volumes: [{ name: 'v', dockerVolumeConfiguration: {} }] }), 'request', unsupported('dockerVolumeConfiguration'));
    expectAccepted(fargate({ volumes: [{ name: 'scratch' }, { name: 'empty-host', host: {} }] }));
  });

  it.each([
    ['privileged', { privileged: true }],
    ['devices', { linuxParameters: { devices: [{ hostPath: '/dev/fuse' }] } }],
    ['sharedMemorySize', { linuxParameters: { sharedMemorySize: 64 } }],
    ['maxSwap', { linuxParameters: { maxSwap: 0 } }],
    ['swappiness', { linuxParameters: { swappiness: 10 } }],
    ['dockerSecurityOptions', { dockerSecurityOptions: ['no-new-privileges'] }],
  ])('rejects %s', (what, over) => expectRejected(withContainer(over), 'request', unsupported(what)));

  it('keeps the features ECS does offer on Fargate', () =>
    expectAccepted(withContainer({ privileged: false, linuxParameters: { initProcessEnabled: true, capabilities: { add: ['SYS_PTRACE'] } } })));

  it('offers only the awslogs, splunk and awsfirelens log drivers', () => {
    expectRejected(withContainer({ logConfiguration: { logDriver: 'gelf' } }), 'request', 'gelf is not a valid log driver');
    expectAccepted(
      fargate({
        containerDefinitions: [
          container({ memory: undefined, logConfiguration: { logDriver: 'awsfirelens' } }),
          container({ name: 'log_router', memory: undefined, firelensConfiguration: { type: 'fluentbit' } }),
        ],
      }),
    );
  });
});

describe('Fargate execution role', () => {
  const role = 'arn:aws:iam::123456789012:role/exec';
  const logs = { logDriver: 'awslogs' as const, options: { 'awslogs-region': 'eu-west-1', 'awslogs-group': 'g' } };
  const ecrImage = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1';

  it('is needed for awslogs', () => {
    const def = (executionRoleArn?: string) =>
      fargate({ executionRoleArn, containerDefinitions: [container({ memory: undefined, logConfiguration: logs })] });
    expectRejected(def(), 'request', 'Fargate requires task definition to have execution role ARN to support log driver awslogs.');
    expectAccepted(def(role));
  });

  it('is needed for private ECR images, not public ones', () => {
    const def = (image: string, executionRoleArn?: string) =>
      fargate({ executionRoleArn, containerDefinitions: [container({ memory: undefined, image })] });
    expectRejected(def(ecrImage), 'request', 'Fargate requires task definition to have execution role ARN to support ECR images.');
    expectAccepted(def(ecrImage, role));
    expectAccepted(def('public.ecr.aws/nginx/nginx:1'));
  });
});
