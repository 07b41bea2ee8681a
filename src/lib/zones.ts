import { createHash } from 'node:crypto';

/**
 * The Availability Zones minato gives every region, and the facts derived from them, shared by
 * the EC2 networking API (default subnets, DescribeAvailabilityZones) and ELB (the zone of a
 * subnet a load balancer names), so that both tell the same zone for the same subnet.
 */

/** The zone letters of every region: AWS's largest regions have six. */
const ZONE_LETTERS = 'abcdef';

/** The zone names of `region`: `<region>a` … `<region>f`. */
export function availabilityZones(region: string): string[] {
  return [...ZONE_LETTERS].map((letter) => `${region}${letter}`);
}

/** A subnet's zone: a pure function of its id (one of the region's zones), the same everywhere. */
export function zoneOfSubnet(region: string, subnetId: string): string {
  const letter = ZONE_LETTERS[createHash('sha256').update(subnetId).digest()[0]! % ZONE_LETTERS.length]!;
  return `${region}${letter}`;
}

const DIRECTIONS: Readonly<Record<string, string>> = {
  north: 'n', south: 's', east: 'e', west: 'w', central: 'c',
  northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
};

/** AWS's zone id of a zone name: `us-east-1a` → `use1-az1`, `ap-southeast-2b` → `apse2-az2`. */
export function zoneIdOf(zoneName: string): string {
  const region = zoneName.slice(0, -1);
  const index = ZONE_LETTERS.indexOf(zoneName.slice(-1)) + 1;
  const parts = region.split('-');
  const short = parts.length >= 3 ? `${parts[0]}${DIRECTIONS[parts[1]!] ?? parts[1]![0]}${parts.slice(2).join('')}` : region.replace(/-/g, '');
  return `${short}-az${index}`;
}

/** The account's default VPC of a region: a pure function of both, as ELB and EC2 name it. */
export function defaultVpcId(accountId: string, region: string): string {
  return `vpc-${createHash('sha256').update(`${accountId}:${region}`).digest('hex').slice(0, 17)}`;
}

/**
 * The default security group of the account's default VPC: a pure function of the VPC's id, so
 * that an application load balancer created without groups is in the group EC2 describes (and
 * the tasks of that group admit it), as in AWS.
 */
export function defaultVpcSecurityGroupId(vpcId: string): string {
  return `sg-${createHash('sha256').update(vpcId).digest('hex').slice(0, 17)}`;
}

/**
 * The id of the default subnet of `zone`: the first of a sequence of ids derived from the account
 * and zone whose zoneOfSubnet is that zone, so that ELB places it where EC2 says it is.
 */
export function defaultSubnetId(accountId: string, zone: string): string {
  const region = zone.slice(0, -1);
  for (let n = 0; ; n++) {
    const id = `subnet-${createHash('sha256').update(`${accountId}:${zone}:${n}`).digest('hex').slice(0, 17)}`;
    if (zoneOfSubnet(region, id) === zone) return id;
  }
}
