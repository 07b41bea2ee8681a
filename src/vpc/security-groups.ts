import { parseCidr } from './cidr.js';
import { allowAllEgress } from './defaults.js';
import { dependencyViolation, duplicate, idNotFound, invalidValue, limitExceeded, missingParameter, notFoundError, precondition } from './errors.js';
import { LIMITS, newId, type RuleRecord, type SecurityGroupRecord } from './records.js';
import type { Repo } from './repo.js';

/** Security groups and their rules: stored and described as EC2 keeps them (not enforced on tasks). */

/** IpPermission as the wire carries it. */
export interface IpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Array<{ CidrIp?: string; Description?: string }>;
  Ipv6Ranges?: Array<{ CidrIpv6?: string; Description?: string }>;
  PrefixListIds?: Array<{ PrefixListId?: string; Description?: string }>;
  UserIdGroupPairs?: Array<{ GroupId?: string; GroupName?: string; Description?: string }>;
}

const PROTOCOLS: Readonly<Record<string, string>> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', icmpv6: 'icmpv6', '58': 'icmpv6', '-1': '-1', all: '-1' };

/** The protocol as EC2 writes it back: names for the four it names, `-1` for all, else the number. */
export function normaliseProtocol(text: string | undefined): string {
  if (text === undefined) throw missingParameter('The request must contain the parameter ipProtocol');
  const known = PROTOCOLS[text.toLowerCase()];
  if (known) return known;
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return String(Number(text));
  throw invalidValue(`Invalid value '${text}' for IP protocol. Unknown protocol.`);
}

/** The port range of a rule, checked as EC2 checks it for the protocol. */
function portRange(protocol: string, from: number | undefined, to: number | undefined): [number, number] {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (from === undefined || to === undefined) throw invalidValue(`Invalid value for portRange. Must specify both from and to ports with TCP/UDP.`);
    if (from < 0 || to > 65535 || from > to) throw invalidValue(`Invalid value for portRange. Must specify both from and to ports with TCP/UDP.`);
    return [from, to];
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = from ?? -1;
    const code = to ?? -1;
    if (type < -1 || type > 255 || code < -1 || code > 255) throw invalidValue(`Invalid value '${type}' for ICMP type, or '${code}' for ICMP code.`);
    return [type, code];
  }
  return [-1, -1];
}

/** One rule per peer of each permission (EC2 keeps rules, IpPermissions groups them). */
export async function rulesOf(repo: Repo, group: SecurityGroupRecord, isEgress: boolean, permissions: readonly IpPermission[]): Promise<RuleRecord[]> {
  const rules: RuleRecord[] = [];
  for (const p of permissions) {
    const ipProtocol = normaliseProtocol(p.IpProtocol);
    const [fromPort, toPort] = portRange(ipProtocol, p.FromPort, p.ToPort);
    const base = { isEgress, ipProtocol, fromPort, toPort };
    const add = (peer: Partial<RuleRecord>, description: string | undefined) =>
      rules.push({ ruleId: newId('sgr'), ...base, ...peer, ...(description !== undefined && { description }) });
    for (const r of p.IpRanges ?? []) {
      const cidr = r.CidrIp === undefined ? undefined : parseCidr(r.CidrIp.includes('/') ? r.CidrIp : `${r.CidrIp}/32`);
      if (!cidr) throw invalidValue(`CIDR block ${r.CidrIp ?? ''} is malformed`);
      add({ cidrIpv4: r.CidrIp }, r.Description);
    }
    for (const r of p.Ipv6Ranges ?? []) {
      if (!r.CidrIpv6 || !/^[0-9a-fA-F:]+\/\d{1,3}$/.test(r.CidrIpv6)) throw invalidValue(`CIDR block ${r.CidrIpv6 ?? ''} is malformed`);
      add({ cidrIpv6: r.CidrIpv6.toLowerCase() }, r.Description);
    }
    for (const r of p.PrefixListIds ?? []) {
      if (!r.PrefixListId) throw missingParameter('The request must contain the parameter PrefixListId');
      add({ prefixListId: r.PrefixListId }, r.Description);
    }
    for (const pair of p.UserIdGroupPairs ?? []) {
      const peer = pair.GroupId !== undefined ? await repo.groups.get(pair.GroupId) : (await repo.groups.all()).find((g) => g.vpcId === group.vpcId && g.groupName === pair.GroupName);
      if (!peer) throw idNotFound('security-group', 'security group', pair.GroupId ?? pair.GroupName ?? '');
      if (peer.vpcId !== group.vpcId) throw invalidValue(`You have specified two resources that belong to different networks.`);
      add({ referencedGroupId: peer.groupId }, pair.Description);
    }
    if (rules.length === 0) throw invalidValue('The request must name a source or destination: IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs.');
  }
  return rules;
}

/** What identifies a rule besides its id: two rules with the same key are the same rule. */
const ruleKey = (r: RuleRecord) => [r.isEgress, r.ipProtocol, r.fromPort, r.toPort, r.cidrIpv4, r.cidrIpv6, r.referencedGroupId, r.prefixListId].join('|');

function describeRule(r: RuleRecord): string {
  const peer = r.cidrIpv4 ?? r.cidrIpv6 ?? r.referencedGroupId ?? r.prefixListId ?? '';
  const protocol = r.ipProtocol === '-1' ? 'ALL' : r.ipProtocol.toUpperCase();
  return `peer: ${peer}, ${protocol}, from port: ${r.fromPort}, to port: ${r.toPort}, ALLOW`;
}

export async function createSecurityGroup(repo: Repo, input: { GroupName: string; Description: string; VpcId?: string }): Promise<SecurityGroupRecord> {
  const name = input.GroupName;
  if (name.length === 0 || name.length > 255) throw invalidValue(`Value (${name}) for parameter GroupName is invalid. Length must be 1 to 255 characters.`);
  if (name === 'default') throw invalidValue('Cannot use reserved security group name: default');
  if (/^sg-/i.test(name)) throw invalidValue("Group names may not be in the format sg-*.");
  if (input.Description.length > 255 || !/^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/.test(input.Description)) {
    throw invalidValue(`Value (${input.Description}) for parameter GroupDescription is invalid. Character sets beyond ASCII are not supported.`);
  }
  const vpc = input.VpcId !== undefined ? await repo.vpcs.require(input.VpcId) : (await repo.vpcs.all()).find((v) => v.isDefault);
  if (!vpc) throw precondition('no-default-vpc', 'No default VPC for this user');
  const groups = (await repo.groups.all()).filter((g) => g.vpcId === vpc.vpcId);
  if (groups.some((g) => g.groupName === name)) throw duplicate('security-group', `The security group '${name}' already exists for VPC '${vpc.vpcId}'`);
  if (groups.length >= LIMITS.groupsPerVpc) throw limitExceeded('security-group', 'The maximum number of security groups has been reached.');
  const group: SecurityGroupRecord = { groupId: newId('sg'), groupName: name, description: input.Description, vpcId: vpc.vpcId, rules: [allowAllEgress()] };
  await repo.groups.put(group.groupId, group);
  return group;
}

/** The group a request names by GroupId, or by GroupName in the default VPC (as EC2 reads names). */
export async function namedGroup(repo: Repo, groupId: string | undefined, groupName: string | undefined): Promise<SecurityGroupRecord> {
  if (groupId !== undefined) return repo.groups.require(groupId);
  if (groupName === undefined) throw missingParameter('The request must contain the parameter groupName or groupId');
  const defaultVpc = (await repo.vpcs.all()).find((v) => v.isDefault);
  const found = defaultVpc && (await repo.groups.all()).find((g) => g.vpcId === defaultVpc.vpcId && g.groupName === groupName);
  if (!found) throw notFoundError('security-group', `The security group '${groupName}' does not exist in default VPC '${defaultVpc?.vpcId ?? 'none'}'`);
  return found;
}

export async function deleteSecurityGroup(repo: Repo, group: SecurityGroupRecord): Promise<void> {
  const vpc = await repo.vpcs.get(group.vpcId);
  if (vpc?.defaultSecurityGroupId === group.groupId) {
    throw precondition('default-group', `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`);
  }
  const dependents = (await repo.groups.all()).filter((g) => g.groupId !== group.groupId && g.rules.some((r) => r.referencedGroupId === group.groupId));
  if (dependents.length > 0) throw dependencyViolation(`resource ${group.groupId} has a dependent object`);
  await repo.setTags(group.groupId, []);
  for (const r of group.rules) await repo.setTags(r.ruleId, []);
  await repo.groups.delete(group.groupId);
}

/** Authorize{Ingress,Egress}: the new rules, refused whole when one already exists. */
export async function authorize(repo: Repo, group: SecurityGroupRecord, isEgress: boolean, permissions: readonly IpPermission[]): Promise<RuleRecord[]> {
  const added = await rulesOf(repo, group, isEgress, permissions);
  const seen = new Set(group.rules.map(ruleKey));
  for (const r of added) {
    if (seen.has(ruleKey(r))) throw duplicate('permission', `the specified rule "${describeRule(r)}" already exists`);
    seen.add(ruleKey(r));
  }
  if (group.rules.filter((r) => r.isEgress === isEgress).length + added.length > LIMITS.rulesPerDirection) {
    throw limitExceeded('rules', 'The maximum number of rules per security group has been reached.');
  }
  await repo.groups.put(group.groupId, { ...group, rules: [...group.rules, ...added] });
  return added;
}

/** Revoke{Ingress,Egress}: by permissions or by rule ids; a rule that is not there is refused. */
export async function revoke(repo: Repo, group: SecurityGroupRecord, isEgress: boolean, permissions: readonly IpPermission[], ruleIds: readonly string[]): Promise<RuleRecord[]> {
  const gone: RuleRecord[] = [];
  for (const id of ruleIds) {
    const rule = group.rules.find((r) => r.ruleId === id && r.isEgress === isEgress);
    if (!rule) throw notFoundError('rule', `The security group rule ID '${id}' does not exist`);
    gone.push(rule);
  }
  if (permissions.length > 0) {
    for (const wanted of await rulesOf(repo, group, isEgress, permissions)) {
      const rule = group.rules.find((r) => ruleKey(r) === ruleKey(wanted));
      if (!rule) throw notFoundError('permission', 'The specified rule does not exist in this security group.');
      gone.push(rule);
    }
  }
  const ids = new Set(gone.map((r) => r.ruleId));
  await repo.groups.put(group.groupId, { ...group, rules: group.rules.filter((r) => !ids.has(r.ruleId)) });
  for (const id of ids) await repo.setTags(id, []);
  return gone;
}
