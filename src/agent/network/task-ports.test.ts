import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { TaskNetwork } from './network-manager.js';
import { containerNetworkView, requestedPorts } from './task-ports.js';

const web: ContainerDefinition = { name: 'web', portMappings: [{ containerPort: 8080, hostPort: 8080 }, { containerPort: 53, protocol: 'udp' }] };
const api: ContainerDefinition = { name: 'api', portMappings: [{ containerPort: 9000, hostPort: 0 }] };

const network: TaskNetwork = {
  netnsPath: '/var/run/netns/minato-t',
  ipv4Address: '10.213.0.7',
  subnetCidr: '10.213.0.0/16',
  gateway: '10.213.0.1',
  macAddress: '02:00:00:00:00:07',
  interfaceName: 'eth0',
  privateDnsName: 'ip-10-213-0-7.ec2.internal',
  networkInterfaceId: 'eni-0123456789abcdef0',
  hostname: 'ip-10-213-0-7.ec2.internal',
  portBindings: [
    { bindIP: '127.0.0.1', containerPort: 8080, hostPort: 8080, protocol: 'tcp' },
    { bindIP: '127.0.0.1', containerPort: 53, hostPort: 51000, protocol: 'udp' },
    { bindIP: '127.0.0.1', containerPort: 9000, hostPort: 52000, protocol: 'tcp' },
  ],
};

describe('task ports', () => {
  it('publishes nothing for awsvpc, even when registration set hostPort', () => {
    expect(requestedPorts('awsvpc', [web, api])).toEqual([
      { containerPort: 8080, protocol: 'tcp' },
      { containerPort: 53, protocol: 'udp' },
      { containerPort: 9000, protocol: 'tcp' },
    ]);
  });

  it('publishes bridge mappings on their host port, or a dynamic one when it is 0 or absent', () => {
    expect(requestedPorts('bridge', [web, api])).toEqual([
      { containerPort: 8080, hostPort: 8080, protocol: 'tcp' },
      { containerPort: 53, hostPort: 0, protocol: 'udp' },
      { containerPort: 9000, hostPort: 0, protocol: 'tcp' },
    ]);
  });

  it('publishes host mode mappings on the container port', () => {
    expect(requestedPorts('host', [{ name: 'h', portMappings: [{ containerPort: 7000 }] }])).toEqual([{ containerPort: 7000, hostPort: 7000, protocol: 'tcp' }]);
  });

  it('shows an awsvpc container its interface and no bindings, as Fargate does', () => {
    expect(containerNetworkView('awsvpc', web, network, 'att-1')).toEqual({
      networkBindings: [],
      networkInterfaces: [{ attachmentId: 'att-1', privateIpv4Address: '10.213.0.7' }],
    });
    expect(containerNetworkView('awsvpc', web, undefined, 'att-1').networkInterfaces).toEqual([]);
  });

  it("shows a bridge container the ports published for its own mappings, dynamic ones resolved", () => {
    expect(containerNetworkView('bridge', web, network, 'att-1')).toEqual({
      networkBindings: [
        { bindIP: '127.0.0.1', containerPort: 8080, hostPort: 8080, protocol: 'tcp' },
        { bindIP: '127.0.0.1', containerPort: 53, hostPort: 51000, protocol: 'udp' },
      ],
      networkInterfaces: [],
    });
    expect(containerNetworkView('bridge', api, network, 'att-1').networkBindings).toEqual([
      { bindIP: '127.0.0.1', containerPort: 9000, hostPort: 52000, protocol: 'tcp' },
    ]);
    expect(containerNetworkView('bridge', api, { ...network, portBindings: undefined }, 'att-1').networkBindings).toEqual([]);
  });
});
