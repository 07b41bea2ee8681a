import type { VpcLookup } from '../control/tasks/vpc-lookup.js';
import type { Ec2Network } from '../vpc/network.js';

/** ECS's view of the EC2 networking resources: the subnets and groups an awsvpc configuration names. */
export function vpcLookupOver(network: Ec2Network): VpcLookup {
  return {
    find: (where, subnetIds, groupIds) =>
      network.run(where, async (repo) => {
        const subnets = [];
        for (const id of subnetIds) {
          const s = await repo.subnets.get(id);
          if (s) subnets.push({ subnetId: s.subnetId, vpcId: s.vpcId });
        }
        const groups = [];
        for (const id of groupIds) {
          const g = await repo.groups.get(id);
          if (g) groups.push({ groupId: g.groupId, vpcId: g.vpcId });
        }
        const defaultGroups = Object.fromEntries((await repo.vpcs.all()).map((v) => [v.vpcId, v.defaultSecurityGroupId]));
        return { subnets, groups, defaultGroups };
      }),
  };
}
