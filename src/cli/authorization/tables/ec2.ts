import type { Scope } from '../../../lib/scope.js';
import { regional, type AuthorizationTable, type Input } from '../table.js';

/*
 * EC2 networking (prefix `ec2`). The Describe* operations have no resource-level permissions and
 * act on `*`, as do the Create* operations that make a resource (its id is not drawn yet; the
 * reference would also name the VPC they go in). The others act on every resource their input
 * names, by the id's prefix (vpc-, subnet-, sg-, igw-, rtb-, eni-, acl-): AttachInternetGateway on
 * the gateway and the VPC, AssociateRouteTable on the table and the subnet, CreateRoute on its
 * table, CreateTags and DeleteTags on each resource. Refusals are UnauthorizedOperation (403), with
 * the reason in the clear rather than an encoded authorization message.
 */
const KINDS: Readonly<Record<string, string>> = {
  vpc: 'vpc',
  subnet: 'subnet',
  sg: 'security-group',
  igw: 'internet-gateway',
  rtb: 'route-table',
  eni: 'network-interface',
  acl: 'network-acl',
};
const ID_MEMBERS = ['VpcId', 'SubnetId', 'GroupId', 'InternetGatewayId', 'RouteTableId', 'NetworkInterfaceId', 'NetworkAclId'];

export function ec2ResourceArn(scope: Scope, id: string): string | undefined {
  const kind = KINDS[id.slice(0, id.indexOf('-'))];
  return kind === undefined ? undefined : regional('ec2', scope, `${kind}/${id}`);
}

export const EC2_AUTHORIZATION: AuthorizationTable = {
  prefix: 'ec2',
  denial: { code: 'UnauthorizedOperation', status: 403, message: (reason) => `You are not authorized to perform this operation. ${reason}` },
  resources: {
    CreateVpc: () => [],
    CreateSubnet: () => [],
    CreateSecurityGroup: () => [],
    CreateInternetGateway: () => [],
    CreateRouteTable: () => [],
  },
  fallback: (input: Input, scope, operation) => {
    if (operation.startsWith('Describe')) return [];
    const ids: string[] = [...ID_MEMBERS.map((m) => input[m] as string | undefined).filter((v): v is string => typeof v === 'string'), ...((input.Resources ?? []) as string[])];
    return ids.map((id) => ec2ResourceArn(scope, id));
  },
};
