import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { zoneOfSubnet } from '../../src/lib/zones.js';
import { useEc2FrontDoor } from './ec2-fixture.js';

const run = promisify(execFile);
const fixture = useEc2FrontDoor();
const SCENARIO = join(import.meta.dirname, 'network_scenario.py');

describe('boto3 against EC2 networking', () => {
  it('builds and takes down a Fargate-style network, refusing what EC2 refuses', async () => {
    const env = { PATH: process.env.PATH, HOME: fixture.dir(), AWS_CONFIG_FILE: join(fixture.dir(), 'none'), AWS_SHARED_CREDENTIALS_FILE: join(fixture.dir(), 'none') };
    const { stdout } = await run('python3', [SCENARIO, fixture.endpoint()], { env });
    const out = JSON.parse(stdout) as Record<string, unknown> & { defaultSubnets: Array<{ id: string; zone: string; cidr: string }>; subnets: Array<{ id: string; zone: string; free: number }> };
    const zones = ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `us-east-1${l}`);
    expect(out.defaultVpc).toEqual([{ cidr: '172.31.0.0/16', id: expect.stringMatching(/^vpc-[0-9a-f]{17}$/) }]);
    expect(out.zones).toEqual(zones);
    // One default /20 per zone, each in the zone ELB derives from its id.
    expect(out.defaultSubnets.map((s) => [s.zone, s.cidr])).toEqual(zones.map((z, i) => [z, `172.31.${i * 16}.0/20`]));
    for (const s of [...out.defaultSubnets, ...out.subnets]) expect(zoneOfSubnet('us-east-1', s.id)).toBe(s.zone);
    expect(out.attributes).toEqual({ 'default-vpc': [(out.defaultVpc as Array<{ id: string }>)[0]!.id], 'supported-platforms': ['VPC'] });

    expect(out.vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(out.vpcErrors).toEqual(['InvalidVpc.Range', 'InvalidParameterValue', 'InvalidVpc.Range', 'InvalidParameterValue']);
    expect(out.vpcCount).toBe(2);
    expect(out.dns).toEqual([true, true]);
    expect(out.byTag).toEqual([out.vpcId]);

    expect(out.subnets.map((s) => [s.zone, s.free])).toEqual([['us-east-1a', 251], ['us-east-1b', 251]]);
    expect(out.subnetErrors).toEqual(['InvalidSubnet.Range', 'InvalidSubnet.Conflict', 'InvalidParameterValue', 'InvalidVpcID.NotFound']);
    expect(out.subnetsInVpc).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
    expect(out.subnetByTag).toEqual(['10.0.2.0/24']);
    expect(out.public).toBe(true);

    expect(out.sgErrors).toEqual(['InvalidGroup.Duplicate', 'InvalidParameterValue']);
    expect(out.ruleIds).toBe(2);
    expect(out.permissionErrors).toEqual(['InvalidPermission.Duplicate', 'InvalidParameterValue', 'InvalidGroup.NotFound', 'InvalidPermission.NotFound']);
    expect(out.ingress).toEqual([['tcp', 80, ['0.0.0.0/0'], []], ['tcp', 8080, [], [true]]]);
    expect(out.egress).toEqual([['tcp', 443, ['0.0.0.0/0']]]);
    expect(out.ruleCount).toBe(3);
    expect(out.defaultSg).toEqual({ ingressFromSelf: true, egress: '0.0.0.0/0' });

    expect(out.igwAttached).toEqual([true]);
    expect(out.routeErrors).toEqual(['RouteAlreadyExists', 'Resource.AlreadyAssociated', 'DependencyViolation']);
    expect(out.routes).toEqual([['0.0.0.0/0', expect.stringMatching(/^igw-[0-9a-f]{17}$/)], ['10.0.0.0/16', 'local']]);
    expect(out.main).toEqual([[true, ['local']]]);
    expect(out.acl).toEqual([[true, 2]]);
    // Two CreateRouteTable calls with one ClientToken: the same table, one more in the VPC, listed once.
    expect(out.retried).toEqual([true, 'retry-7f3a', 1, 1]);
    expect(out.retryErrors).toEqual(['IdempotentParameterMismatch', 'IdempotentParameterMismatch']);

    expect(out.tags).toEqual([['internet-gateway', 'team'], ['security-group', 'team']]);
    expect(out.tagsLeft).toEqual([true]);
    expect(out.otherErrors).toEqual(['InvalidVpcID.NotFound', 'DryRunOperation', 'DependencyViolation', 'CannotDelete', 'InvalidParameterValue']);
    // Gone with the VPC: its default group and main table; the default VPC's remain.
    expect(out.afterDelete).toEqual(['InvalidVpcID.NotFound', 1, 1, 1]);
  }, 60_000);
});
