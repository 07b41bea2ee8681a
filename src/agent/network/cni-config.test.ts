import { describe, expect, it } from 'vitest';
import { CNI_NAME, INTERFACE_NAME, loopbackConfig, portMappingArgs, taskNetworkConfig } from './cni-config.js';
import { parseSubnet } from './ipv4.js';

describe('CNI configuration', () => {
  const settings = { networkName: 'minato0', bridge: 'minato0', subnet: parseSubnet('10.213.0.0/16')!, ipamDataDir: '/d/ipam', outboundNat: false };

  it('chains bridge with host-local, then portmap with the portMappings capability', () => {
    const list = taskNetworkConfig(settings);
    expect(list.cniVersion).toBe('1.0.0');
    expect(list.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap']);
    expect(list.plugins[0]).toMatchObject({
      bridge: 'minato0',
      isGateway: true,
      isDefaultGateway: false,
      ipMasq: false,
      ipam: { type: 'host-local', dataDir: '/d/ipam', ranges: [[{ subnet: '10.213.0.0/16', gateway: '10.213.0.1' }]] },
    });
    expect(list.plugins[1]!.capabilities).toEqual({ portMappings: true });
  });

  it('routes by default only when outbound NAT is asked for, and never masquerades per task', () => {
    expect(taskNetworkConfig({ ...settings, outboundNat: true }).plugins[0]).toMatchObject({ ipMasq: false, isDefaultGateway: true });
  });

  it('brings up loopback with its own single-plugin list', () => {
    expect(loopbackConfig()).toEqual({ cniVersion: '1.0.0', name: 'minato-loopback', plugins: [{ type: 'loopback' }] });
  });

  it('publishes only mappings with a host port, on 127.0.0.1', () => {
    expect(
      portMappingArgs([
        { containerPort: 80, hostPort: 8080, protocol: 'tcp' },
        { containerPort: 53, protocol: 'udp' },
        { containerPort: 5353, hostPort: 5353, protocol: 'udp' },
      ]),
    ).toEqual([
      { hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIP: '127.0.0.1' },
      { hostPort: 5353, containerPort: 5353, protocol: 'udp', hostIP: '127.0.0.1' },
    ]);
  });

  it('accepts CNI names and interface names as Linux and the spec allow', () => {
    expect(CNI_NAME.test('0123abc_d.e-f')).toBe(true);
    expect(CNI_NAME.test('-abc')).toBe(false);
    expect(CNI_NAME.test('a/b')).toBe(false);
    expect(INTERFACE_NAME.test('minato0')).toBe(true);
    expect(INTERFACE_NAME.test('a-name-longer-than-15')).toBe(false);
  });
});
