import { describe, expect, it } from 'vitest';
import { eniAttachmentDetails, networkInterfaceIdFor, privateDnsNameFor } from './eni.js';
import type { TaskNetwork } from './network-manager.js';

describe('ENI shapes', () => {
  it('derives a stable EC2-style ENI id per task', () => {
    const id = networkInterfaceIdFor('0123456789abcdef0123456789abcdef');
    expect(id).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(networkInterfaceIdFor('0123456789abcdef0123456789abcdef')).toBe(id);
    expect(networkInterfaceIdFor('another-task')).not.toBe(id);
  });

  it('names addresses as EC2 does in us-east-1 and in other regions', () => {
    expect(privateDnsNameFor('10.213.0.5')).toBe('ip-10-213-0-5.ec2.internal');
    expect(privateDnsNameFor('10.213.0.5', 'us-east-1')).toBe('ip-10-213-0-5.ec2.internal');
    expect(privateDnsNameFor('172.28.8.223', 'ap-northeast-1')).toBe('ip-172-28-8-223.ap-northeast-1.compute.internal');
  });

  it('lists the attachment details with ECS names in ECS order', () => {
    const net: TaskNetwork = {
      netnsPath: '/var/run/netns/minato-t1',
      ipv4Address: '10.213.0.5',
      subnetCidr: '10.213.0.0/16',
      gateway: '10.213.0.1',
      macAddress: '0e:50:d1:c1:77:81',
      interfaceName: 'eth0',
      privateDnsName: 'ip-10-213-0-5.ec2.internal',
      networkInterfaceId: 'eni-0103a2f01bad57d71',
      hostname: 'ip-10-213-0-5.ec2.internal',
    };
    expect(eniAttachmentDetails(net, 'subnet-0a1b2c3d')).toEqual([
      { name: 'subnetId', value: 'subnet-0a1b2c3d' },
      { name: 'networkInterfaceId', value: 'eni-0103a2f01bad57d71' },
      { name: 'macAddress', value: '0e:50:d1:c1:77:81' },
      { name: 'privateDnsName', value: 'ip-10-213-0-5.ec2.internal' },
      { name: 'privateIPv4Address', value: '10.213.0.5' },
    ]);
  });
});
