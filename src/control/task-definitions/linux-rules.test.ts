import type { Tmpfs } from '@aws-sdk/client-ecs';
import { describe, it } from 'vitest';
import { container, ec2, expectAccepted, expectRejected, fargate } from './rules.fixtures.js';

const fargateWith = (over: Parameters<typeof container>[0]) => fargate({ containerDefinitions: [container({ memory: undefined, ...over })] });
const ec2With = (over: Parameters<typeof container>[0], extra: Parameters<typeof ec2>[0] = {}) => ec2({ containerDefinitions: [container(over)], ...extra });

describe('Linux settings rules', () => {
  it('lets Fargate add SYS_PTRACE and drop anything, but add nothing else', () => {
    expectAccepted(fargateWith({ linuxParameters: { capabilities: { add: ['SYS_PTRACE'], drop: ['ALL'] } } }));
    expectRejected(
      fargateWith({ linuxParameters: { capabilities: { add: ['SYS_PTRACE', 'NET_ADMIN'] } } }),
      'request',
      "Fargate compatible task definitions do not support capability 'NET_ADMIN' in linuxParameters.capabilities.add",
    );
    expectAccepted(ec2With({ linuxParameters: { capabilities: { add: ['NET_ADMIN', 'ALL'] } } }));
  });

  it('accepts only ECS capability names', () => {
    expectRejected(
      ec2With({ linuxParameters: { capabilities: { drop: ['CAP_NET_RAW'] } } }),
      'request',
      "Invalid 'linuxParameters.capabilities.drop' setting for container 'app'.",
    );
  });

  it('checks tmpfs paths, sizes and mount options', () => {
    expectAccepted(ec2With({ linuxParameters: { tmpfs: [{ containerPath: '/run', size: 64, mountOptions: ['exec', 'mode=1777'] }] } }));
    expectAccepted(fargateWith({ linuxParameters: { tmpfs: [{ containerPath: '/run', size: 64 }] } }));
    const bad: Array<[Tmpfs, string]> = [
      [{ containerPath: 'run', size: 64 }, 'containerPath'],
      [{ containerPath: '/run', size: 0 }, 'size'],
      [{ containerPath: '/run', size: 1, mountOptions: ['fast'] }, 'mountOptions'],
      [{ containerPath: '/run', size: 1, mountOptions: ['mode='] }, 'mountOptions'],
    ];
    for (const [tmpfs, field] of bad) {
      expectRejected(ec2With({ linuxParameters: { tmpfs: [tmpfs] } }), 'request', `Invalid 'linuxParameters.tmpfs.${field}' setting for container 'app'.`);
    }
  });

  it('wants a positive sharedMemorySize and absolute device paths; Fargate supports neither', () => {
    expectAccepted(ec2With({ linuxParameters: { sharedMemorySize: 128, devices: [{ hostPath: '/dev/fuse' }] } }));
    expectRejected(ec2With({ linuxParameters: { sharedMemorySize: 0 } }), 'request', "Invalid 'linuxParameters.sharedMemorySize' setting for container 'app'.");
    expectRejected(ec2With({ linuxParameters: { devices: [{ hostPath: 'fuse' }] } }), 'request', "Invalid 'linuxParameters.devices.hostPath' setting for container 'app'.");
    expectRejected(fargateWith({ linuxParameters: { sharedMemorySize: 128 } }), 'request', 'Fargate compatible task definitions do not support sharedMemorySize');
    expectRejected(fargateWith({ privileged: true }), 'request', 'Fargate compatible task definitions do not support privileged');
  });

  it('accepts namespaced systemControls only, and not those of a namespace the task shares with the host', () => {
    const sc = (namespace: string) => ({ systemControls: [{ namespace, value: '1' }] });
    expectAccepted(ec2With(sc('net.core.somaxconn')));
    expectAccepted(ec2With(sc('kernel.shmmax')));
    expectAccepted(fargateWith(sc('fs.mqueue.msg_max')));
    for (const ns of ['kernel.panic', 'vm.swappiness', 'net']) {
      expectRejected(ec2With(sc(ns)), 'request', "Invalid 'systemControls' setting for container 'app'.");
    }
    expectRejected(
      ec2With({ systemControls: [{ namespace: 'net.core.somaxconn', value: '1' }, { namespace: 'net.core.somaxconn', value: '2' }] }),
      'request',
      "Invalid 'systemControls' setting for container 'app'.",
    );
    expectRejected(ec2With(sc('net.core.somaxconn'), { networkMode: 'host' }), 'request', "systemControls namespace 'net.core.somaxconn' is not supported on container when networkMode=host.");
    expectAccepted(ec2With(sc('kernel.sem'), { networkMode: 'host' }));
    expectRejected(ec2With(sc('kernel.sem'), { ipcMode: 'host' }), 'request', "systemControls namespace 'kernel.sem' is not supported on container when ipcMode=host.");
  });

  it('refuses dnsServers and dnsSearchDomains with awsvpc', () => {
    expectAccepted(ec2With({ dnsServers: ['10.0.0.2'], dnsSearchDomains: ['svc.local'] }));
    expectRejected(ec2With({ dnsServers: ['10.0.0.2'] }, { networkMode: 'awsvpc' }), 'request', 'dnsServers is not supported on container when networkMode=awsvpc.');
    expectRejected(ec2With({ dnsSearchDomains: ['a'] }, { networkMode: 'awsvpc' }), 'request', 'dnsSearchDomains is not supported on container when networkMode=awsvpc.');
  });
});
