import { formatCidr, parseCidr } from './cidr.js';
import { combination, conflict, dependencyViolation, duplicate, idNotFound, invalidValue, notFoundError, precondition } from './errors.js';
import { newId, type Idempotency, type InternetGatewayRecord, type RouteTableRecord } from './records.js';
import type { Repo } from './repo.js';

/** Internet gateways and route tables: attachments, routes and subnet associations. */

export async function createInternetGateway(repo: Repo): Promise<InternetGatewayRecord> {
  const gateway = { internetGatewayId: newId('igw') };
  await repo.gateways.put(gateway.internetGatewayId, gateway);
  return gateway;
}

export async function attachInternetGateway(repo: Repo, gatewayId: string, vpcId: string): Promise<void> {
  const gateway = await repo.gateways.require(gatewayId);
  await repo.vpcs.require(vpcId);
  if (gateway.vpcId !== undefined) throw conflict('association', `resource ${gatewayId} is already attached to network ${gateway.vpcId}`);
  const other = (await repo.gateways.all()).find((g) => g.vpcId === vpcId);
  if (other) throw conflict('association', `Network ${vpcId} already has an internet gateway attached`);
  await repo.gateways.put(gatewayId, { ...gateway, vpcId });
}

export async function detachInternetGateway(repo: Repo, gatewayId: string, vpcId: string): Promise<void> {
  const gateway = await repo.gateways.require(gatewayId);
  if (gateway.vpcId !== vpcId) throw precondition('gateway-not-attached', `resource ${gatewayId} is not attached to network ${vpcId}`);
  await repo.gateways.put(gatewayId, { internetGatewayId: gatewayId });
}

export async function deleteInternetGateway(repo: Repo, gatewayId: string): Promise<void> {
  const gateway = await repo.gateways.require(gatewayId);
  if (gateway.vpcId !== undefined) throw dependencyViolation(`The internetGateway '${gatewayId}' has dependencies and cannot be deleted.`);
  await repo.setTags(gatewayId, []);
  await repo.gateways.delete(gatewayId);
}

/**
 * The route table an earlier CreateRouteTable with this client token made, when its parameters
 * were the same; EC2's IdempotentParameterMismatch when they were not. The token lives on the
 * table, so it is forgotten with it: a retry after DeleteRouteTable makes a new one.
 */
export async function routeTableOfToken(repo: Repo, idempotency: Idempotency): Promise<RouteTableRecord | undefined> {
  const earlier = (await repo.routeTables.all()).find((t) => t.idempotency?.clientToken === idempotency.clientToken);
  if (earlier && earlier.idempotency?.parametersHash !== idempotency.parametersHash) {
    throw conflict('idempotency', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).');
  }
  return earlier;
}

export async function createRouteTable(repo: Repo, vpcId: string, idempotency?: Idempotency): Promise<RouteTableRecord> {
  const vpc = await repo.vpcs.require(vpcId);
  const table: RouteTableRecord = {
    routeTableId: newId('rtb'),
    vpcId,
    routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' }],
    associations: [],
    ...(idempotency && { idempotency }),
  };
  await repo.routeTables.put(table.routeTableId, table);
  return table;
}

export async function deleteRouteTable(repo: Repo, tableId: string): Promise<void> {
  const table = await repo.routeTables.require(tableId);
  if (table.mainAssociationId !== undefined || table.associations.length > 0) {
    throw dependencyViolation(`The routeTable '${tableId}' has dependencies and cannot be deleted.`);
  }
  await repo.setTags(tableId, []);
  await repo.routeTables.delete(tableId);
}

function destination(text: string | undefined): string {
  if (text === undefined) throw combination('The request must contain exactly one of DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId; only DestinationCidrBlock is supported by this endpoint.');
  const cidr = parseCidr(text);
  if (!cidr) throw invalidValue(`Value (${text}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  return formatCidr(cidr);
}

export interface RouteInput {
  RouteTableId: string;
  DestinationCidrBlock?: string;
  GatewayId?: string;
  [other: string]: unknown;
}

const OTHER_TARGETS = ['NatGatewayId', 'InstanceId', 'NetworkInterfaceId', 'VpcPeeringConnectionId', 'TransitGatewayId', 'EgressOnlyInternetGatewayId', 'LocalGatewayId', 'CarrierGatewayId', 'VpcEndpointId', 'CoreNetworkArn'];

/** CreateRoute: to an internet gateway attached to the table's VPC. */
export async function createRoute(repo: Repo, input: RouteInput): Promise<void> {
  const table = await repo.routeTables.require(input.RouteTableId);
  const cidr = destination(input.DestinationCidrBlock);
  const other = OTHER_TARGETS.find((k) => input[k] !== undefined);
  if (other) throw invalidValue(`Routes to ${other} are not supported by this endpoint; only internet gateways (GatewayId).`);
  if (input.GatewayId === undefined) throw combination('The request must contain exactly one route target.');
  const gateway = await repo.gateways.require(input.GatewayId);
  if (gateway.vpcId !== table.vpcId) throw invalidValue(`route table ${table.routeTableId} and network gateway ${gateway.internetGatewayId} belong to different networks`);
  if (table.routes.some((r) => r.destinationCidrBlock === cidr)) throw duplicate('route', `The route identified by ${cidr} already exists.`);
  await repo.routeTables.put(table.routeTableId, { ...table, routes: [...table.routes, { destinationCidrBlock: cidr, gatewayId: gateway.internetGatewayId, origin: 'CreateRoute' }] });
}

export async function deleteRoute(repo: Repo, tableId: string, destinationCidr: string | undefined): Promise<void> {
  const table = await repo.routeTables.require(tableId);
  const cidr = destination(destinationCidr);
  const route = table.routes.find((r) => r.destinationCidrBlock === cidr);
  if (!route) throw notFoundError('route', `no route with destination-cidr-block ${cidr} in route table ${tableId}`);
  if (route.gatewayId === 'local') throw invalidValue(`cannot remove local route ${cidr} in route table ${tableId}`);
  await repo.routeTables.put(tableId, { ...table, routes: table.routes.filter((r) => r !== route) });
}

/** AssociateRouteTable: a subnet of the same VPC, with no other table associated. */
export async function associateRouteTable(repo: Repo, tableId: string, subnetId: string | undefined): Promise<string> {
  const table = await repo.routeTables.require(tableId);
  if (subnetId === undefined) throw combination('The request must contain the parameter SubnetId; gateway associations are not supported by this endpoint.');
  const subnet = await repo.subnets.require(subnetId);
  if (subnet.vpcId !== table.vpcId) throw invalidValue(`Route table ${tableId} and subnet ${subnetId} belong to different networks`);
  const tables = await repo.routeTables.all();
  if (tables.some((t) => t.associations.some((a) => a.subnetId === subnetId))) {
    throw conflict('association', `the specified association for route table ${tableId} conflicts with an existing association`);
  }
  const associationId = newId('rtbassoc');
  await repo.routeTables.put(tableId, { ...table, associations: [...table.associations, { associationId, subnetId }] });
  return associationId;
}

export async function disassociateRouteTable(repo: Repo, associationId: string): Promise<void> {
  const tables = await repo.routeTables.all();
  if (tables.some((t) => t.mainAssociationId === associationId)) throw invalidValue('cannot disassociate the main route table association ' + associationId);
  const table = tables.find((t) => t.associations.some((a) => a.associationId === associationId));
  if (!table) throw idNotFound('association', 'association', associationId);
  await repo.routeTables.put(table.routeTableId, { ...table, associations: table.associations.filter((a) => a.associationId !== associationId) });
}
