import { describe, expect, it } from 'vitest';
import type { CniResult } from './cni-types.js';
import { toTaskNetwork } from './task-network.js';

// The shape the bridge plugin 1.1.1 returns (host bridge, host veth, container interface).
const result: CniResult = {
  cniVersion: '1.0.0',
  interfaces: [
    { name: 'minato0', mac: '32:19:32:ce:42:7a' },
    { name: 'vethdb3dfb35', mac: 'aa:59:24:03:3b:66' },
    { name: 'eth0', mac: '1e:19:0a:5b:87:64', sandbox: '/var/run/netns/minato-t1' },
  ],
  ips: [{ interface: 2, address: '10.213.4.7/16', gateway: '10.213.0.1' }],
  dns: {},
};

describe('toTaskNetwork', () => {
  it("reads the container interface's address, subnet, gateway and MAC", () => {
    const net = toTaskNetwork({ taskId: 't1', portMappings: [], region: 'eu-west-1' }, '/var/run/netns/minato-t1', 'eth0', result);
    expect(net).toEqual({
      netnsPath: '/var/run/netns/minato-t1',
      ipv4Address: '10.213.4.7',
      subnetCidr: '10.213.0.0/16',
      gateway: '10.213.0.1',
      macAddress: '1e:19:0a:5b:87:64',
      interfaceName: 'eth0',
      privateDnsName: 'ip-10-213-4-7.eu-west-1.compute.internal',
      networkInterfaceId: expect.stringMatching(/^eni-[0-9a-f]{17}$/) as unknown as string,
      hostname: 'ip-10-213-4-7.eu-west-1.compute.internal',
    });
  });

  it('keeps a requested host name', () => {
    const net = toTaskNetwork({ taskId: 't1', portMappings: [], hostname: 'web' }, '/var/run/netns/minato-t1', 'eth0', result);
    expect(net.hostname).toBe('web');
    expect(net.privateDnsName).toBe('ip-10-213-4-7.ec2.internal');
  });

  it('refuses a result without an address on that interface in that namespace', () => {
    expect(() => toTaskNetwork({ taskId: 't1', portMappings: [] }, '/var/run/netns/other', 'eth0', result)).toThrow('no IPv4 address');
    const noIp: CniResult = { ...result, ips: [{ interface: 1, address: '10.213.4.7/16' }] };
    expect(() => toTaskNetwork({ taskId: 't1', portMappings: [] }, '/var/run/netns/minato-t1', 'eth0', noIp)).toThrow('no IPv4 address');
  });
});
