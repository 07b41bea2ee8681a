import { describe, expect, it } from 'vitest';
import { defaultSubnetId, zoneOfSubnet } from '../lib/zones.js';
import { MemoryStore } from '../store/memory-store.js';
import { Ec2Network } from './network.js';
import { associateRouteTable, createRouteTable } from './routing.js';
import { authorize, createSecurityGroup, deleteSecurityGroup } from './security-groups.js';
import { createSubnet, createVpc, deleteSubnet, deleteVpc } from './vpcs.js';

const where = { accountId: '123456789012', region: 'eu-west-1' };

describe('EC2 networking', () => {
  it('gives each region its default VPC once: a deleted one stays deleted', async () => {
    const network = new Ec2Network(new MemoryStore());
    const [vpc] = await network.describeVpcs(where, {});
    expect(vpc!.record).toMatchObject({ isDefault: true, cidrBlock: '172.31.0.0/16' });
    const subnets = await network.describeSubnets(where, { filters: [{ Name: 'default-for-az', Values: ['true'] }] });
    expect(subnets).toHaveLength(6);
    for (const s of subnets) expect(s.record.subnetId).toBe(defaultSubnetId(where.accountId, s.record.availabilityZone));
    // Another region has its own.
    expect((await network.describeVpcs({ ...where, region: 'us-west-2' }, {}))[0]!.record.vpcId).not.toBe(vpc!.record.vpcId);

    await network.run(where, async (repo) => {
      for (const table of await repo.routeTables.all()) {
        if (table.mainAssociationId === undefined) continue;
        await repo.routeTables.put(table.routeTableId, { ...table, routes: table.routes.filter((r) => r.gatewayId === 'local') });
      }
      for (const g of await repo.gateways.all()) await repo.gateways.delete(g.internetGatewayId);
      for (const s of subnets) await deleteSubnet(repo, s.record.subnetId);
      await deleteVpc(repo, vpc!.record.vpcId);
    });
    expect(await network.describeVpcs(where, {})).toEqual([]);
    // With no VPC left, a filter name is still checked.
    await expect(network.describeVpcs(where, { filters: [{ Name: 'colour', Values: ['x'] }] })).rejects.toThrow("The filter 'colour' is invalid");
    expect(await network.describeVpcs(where, { filters: [{ Name: 'is-default', Values: ['true'] }] })).toEqual([]);
  });

  it('keeps nothing of a call that fails, and counts the VPC limit per region', async () => {
    const network = new Ec2Network(new MemoryStore());
    await expect(
      network.run(where, async (repo) => {
        const vpc = await createVpc(repo, { CidrBlock: '10.0.0.0/16' });
        await createSubnet(repo, { VpcId: vpc.vpcId, CidrBlock: '10.1.0.0/24' });
      }),
    ).rejects.toMatchObject({ kind: 'InvalidArgument', subject: 'subnet-range' });
    expect(await network.describeVpcs(where, {})).toHaveLength(1);

    await network.run(where, async (repo) => {
      for (let i = 0; i < 4; i++) expect((await createVpc(repo, { CidrBlock: `10.${i}.0.0/16` })).vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    });
    await expect(network.run(where, (repo) => createVpc(repo, { CidrBlock: '10.9.0.0/16' }))).rejects.toMatchObject({ kind: 'LimitExceeded', subject: 'vpc' });
  });

  it('draws subnet ids whose zone is the zone asked for', async () => {
    const network = new Ec2Network(new MemoryStore());
    await network.run(where, async (repo) => {
      const vpc = await createVpc(repo, { CidrBlock: '10.0.0.0/16' });
      for (const [i, zone] of ['eu-west-1a', 'eu-west-1d', 'eu-west-1f'].entries()) {
        const subnet = await createSubnet(repo, { VpcId: vpc.vpcId, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: zone });
        expect(zoneOfSubnet(where.region, subnet.subnetId)).toBe(zone);
      }
    });
  });

  it('refuses to delete a group another group refers to, and drops a deleted subnet’s association', async () => {
    const network = new Ec2Network(new MemoryStore());
    await network.run(where, async (repo) => {
      const vpc = await createVpc(repo, { CidrBlock: '10.0.0.0/16' });
      const db = await createSecurityGroup(repo, { GroupName: 'db', Description: 'db', VpcId: vpc.vpcId });
      const app = await createSecurityGroup(repo, { GroupName: 'app', Description: 'app', VpcId: vpc.vpcId });
      await authorize(repo, (await repo.groups.get(db.groupId))!, false, [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: app.groupId }] }]);
      await expect(deleteSecurityGroup(repo, app)).rejects.toMatchObject({ subject: 'dependency' });
      await deleteSecurityGroup(repo, (await repo.groups.get(db.groupId))!);
      await deleteSecurityGroup(repo, app);

      const subnet = await createSubnet(repo, { VpcId: vpc.vpcId, CidrBlock: '10.0.0.0/24' });
      const table = await createRouteTable(repo, vpc.vpcId);
      await associateRouteTable(repo, table.routeTableId, subnet.subnetId);
      await deleteSubnet(repo, subnet.subnetId);
      expect((await repo.routeTables.get(table.routeTableId))!.associations).toEqual([]);
    });
  });
});
