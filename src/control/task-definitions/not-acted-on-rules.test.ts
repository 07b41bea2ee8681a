import { describe, expect, it } from 'vitest';
import { container, ec2, expectAccepted, fargate, rejection } from './rules.fixtures.js';

const refused = (member: string) => ({ kind: 'InvalidArgument', subject: 'unsupported-feature', message: `${member} is not supported by this endpoint yet.` });

describe('Task definition members this endpoint does not act on', () => {
  it('refuses an App Mesh proxy configuration', () => {
    const input = ec2({ networkMode: 'awsvpc', proxyConfiguration: { type: 'APPMESH', containerName: 'app', properties: [{ name: 'ProxyIngressPort', value: '15000' }] } });
    expect(rejection(input)).toMatchObject(refused('proxyConfiguration (App Mesh proxy wiring)'));
  });

  it('refuses fault injection when enabled, and accepts it disabled', () => {
    expect(rejection(fargate({ enableFaultInjection: true }))).toMatchObject(refused('enableFaultInjection'));
    expectAccepted(fargate({ enableFaultInjection: false }));
  });

  it('refuses Elastic Inference accelerators, on the task and on a container; an empty list is no request', () => {
    expect(rejection(ec2({ inferenceAccelerators: [{ deviceName: 'd1', deviceType: 'eia2.medium' }] }))).toMatchObject(
      refused('inferenceAccelerators (Elastic Inference)'),
    );
    expectAccepted(ec2({ inferenceAccelerators: [] }));
    const withAccelerator = ec2({ containerDefinitions: [container({ resourceRequirements: [{ type: 'InferenceAccelerator', value: 'd1' }] })] });
    expect(rejection(withAccelerator)).toMatchObject(
      refused('containerDefinitions.resourceRequirements of type InferenceAccelerator (Elastic Inference)'),
    );
    // GPUs are a placement resource here, not refused.
    expectAccepted(ec2({ containerDefinitions: [container({ resourceRequirements: [{ type: 'GPU', value: '1' }] })] }));
  });

  it('refuses Windows operating system families and accepts LINUX', () => {
    expect(rejection(fargate({ runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE', cpuArchitecture: 'X86_64' } }))).toMatchObject(
      refused('runtimePlatform.operatingSystemFamily WINDOWS_SERVER_2022_CORE (Windows containers; only LINUX runs here)'),
    );
    expectAccepted(fargate({ runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'ARM64' } }));
    expectAccepted(fargate({ runtimePlatform: { cpuArchitecture: 'X86_64' } }));
  });

  it('keeps accepting ephemeralStorage (stored and shown back)', () => {
    expectAccepted(fargate({ ephemeralStorage: { sizeInGiB: 50 } }));
  });
});
