import { describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { useEc2FrontDoor } from './ec2-fixture.js';

const fixture = useEc2FrontDoor();

type Json = Record<string, unknown>;
const aws = async <T = Json>(...args: string[]): Promise<T> => {
  const r = await awsCli(fixture.endpoint(), fixture.dir(), ['ec2', ...args]);
  if (r.code !== 0) throw new Error(`aws ec2 ${args.join(' ')}: ${r.stderr}`);
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
};

// Each CLI run loads EC2's whole model (seconds), so the scenario is short; boto3 covers the rest.
describe('the AWS CLI against EC2 networking', () => {
  it('reads the default VPC, makes a VPC, a subnet and a security group with a rule, and prints EC2 errors', async () => {
    const vpcs = await aws<{ Vpcs: Array<{ VpcId: string; IsDefault: boolean; CidrBlock: string }> }>('describe-vpcs');
    expect(vpcs.Vpcs).toEqual([expect.objectContaining({ IsDefault: true, CidrBlock: '172.31.0.0/16', VpcId: expect.stringMatching(/^vpc-[0-9a-f]{17}$/) })]);

    const { Vpc } = await aws<{ Vpc: { VpcId: string } }>('create-vpc', '--cidr-block', '10.1.0.0/16', '--tag-specifications', 'ResourceType=vpc,Tags=[{Key=Name,Value=cli}]');
    const [subnet, group] = await Promise.all([
      aws<{ Subnet: { SubnetId: string; AvailabilityZone: string; CidrBlock: string } }>('create-subnet', '--vpc-id', Vpc.VpcId, '--cidr-block', '10.1.0.0/20', '--availability-zone', 'us-east-1c'),
      aws<{ GroupId: string }>('create-security-group', '--group-name', 'svc', '--description', 'service tasks', '--vpc-id', Vpc.VpcId),
    ]);
    expect(subnet.Subnet).toMatchObject({ AvailabilityZone: 'us-east-1c', CidrBlock: '10.1.0.0/20' });

    const [authorized, conflict] = await Promise.all([
      aws<{ Return: boolean; SecurityGroupRules: Array<{ IpProtocol: string; FromPort: number; CidrIpv4: string }> }>(
        'authorize-security-group-ingress', '--group-id', group.GroupId, '--protocol', 'tcp', '--port', '8080', '--cidr', '10.1.0.0/16',
      ),
      awsCli(fixture.endpoint(), fixture.dir(), ['ec2', 'create-subnet', '--vpc-id', Vpc.VpcId, '--cidr-block', '10.1.8.0/24']),
    ]);
    expect(authorized).toMatchObject({ Return: true, SecurityGroupRules: [{ IpProtocol: 'tcp', FromPort: 8080, CidrIpv4: '10.1.0.0/16' }] });
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain("An error occurred (InvalidSubnet.Conflict) when calling the CreateSubnet operation: The CIDR '10.1.8.0/24' conflicts with another subnet");

    const described = await aws<{ SecurityGroups: Array<{ GroupName: string; IpPermissions: unknown[]; Tags?: unknown }> }>(
      'describe-security-groups', '--filters', `Name=vpc-id,Values=${Vpc.VpcId}`, 'Name=group-name,Values=svc',
    );
    expect(described.SecurityGroups).toEqual([
      expect.objectContaining({ GroupName: 'svc', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '10.1.0.0/16' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }] }),
    ]);
  }, 90_000);
});
