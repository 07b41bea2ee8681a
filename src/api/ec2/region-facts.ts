import { availabilityZones as zonesOf, zoneIdOf } from '../../lib/zones.js';
import { checkFilters, matchesFilters, type Filter } from '../../vpc/filters.js';
import { invalidValue } from '../../vpc/errors.js';

/** DescribeAvailabilityZones: the region's zones (lib/zones.ts), all available. */
export function availabilityZones(region: string, input: { ZoneNames?: string[]; ZoneIds?: string[]; Filters?: Filter[] }) {
  const zones = zonesOf(region).map((name) => ({
    ZoneName: name,
    ZoneId: zoneIdOf(name),
    RegionName: region,
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    GroupName: region,
    NetworkBorderGroup: region,
    ZoneType: 'availability-zone',
  }));
  for (const name of input.ZoneNames ?? []) if (!zones.some((z) => z.ZoneName === name)) throw invalidValue(`The zone '${name}' does not exist.`);
  for (const id of input.ZoneIds ?? []) if (!zones.some((z) => z.ZoneId === id)) throw invalidValue(`The zone ID '${id}' does not exist.`);
  const values = (z: (typeof zones)[number]) => ({
    'zone-name': [z.ZoneName], 'zone-id': [z.ZoneId], 'region-name': [z.RegionName], state: [z.State],
    'opt-in-status': [z.OptInStatus], 'zone-type': [z.ZoneType], 'group-name': [z.GroupName], 'network-border-group': [z.NetworkBorderGroup],
  });
  checkFilters(input.Filters, Object.keys(values(zones[0]!)));
  return zones
    .filter((z) => (input.ZoneNames ?? []).length === 0 || input.ZoneNames!.includes(z.ZoneName))
    .filter((z) => (input.ZoneIds ?? []).length === 0 || input.ZoneIds!.includes(z.ZoneId))
    .filter((z) => matchesFilters(input.Filters, values(z), []));
}

/** DescribeAccountAttributes: EC2's defaults for an account of the VPC era, with its default VPC. */
export function accountAttributes(defaultVpcId: string | undefined, names: readonly string[] | undefined) {
  const all: Record<string, string[]> = {
    'supported-platforms': ['VPC'],
    'default-vpc': [defaultVpcId ?? 'none'],
    'max-instances': ['20'],
    'vpc-max-security-groups-per-interface': ['5'],
    'max-elastic-ips': ['5'],
    'vpc-max-elastic-ips': ['5'],
  };
  const wanted = names && names.length > 0 ? names : Object.keys(all);
  return wanted
    .filter((n) => Object.hasOwn(all, n))
    .map((n) => ({ AttributeName: n, AttributeValues: all[n]!.map((AttributeValue) => ({ AttributeValue })) }));
}
