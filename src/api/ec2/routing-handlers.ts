import { requestHash } from '../../lib/request-hash.js';
import type { OperationHandler } from '../../server/service.js';
import type { Filter, Tag } from '../../vpc/filters.js';
import type { Ec2Network } from '../../vpc/network.js';
import {
  associateRouteTable, attachInternetGateway, createInternetGateway, createRoute, createRouteTable, deleteInternetGateway, deleteRoute,
  deleteRouteTable, detachInternetGateway, disassociateRouteTable, routeTableOfToken, type RouteInput,
} from '../../vpc/routing.js';
import { notFoundError } from '../../vpc/errors.js';
import { tagsFor } from '../../vpc/tags.js';
import { internetGatewayView, networkAclView, page, routeTableView } from './views.js';

type TagSpecs = Array<{ ResourceType?: string; Tags?: Tag[] }>;
type DescribeInput = { Filters?: Filter[]; MaxResults?: number; NextToken?: string };

/** Internet gateways, route tables and the default network ACLs. */
export function routingHandlers(network: Ec2Network): Record<string, OperationHandler> {
  return {
    async CreateInternetGateway(input: { TagSpecifications?: TagSpecs }, { scope }) {
      return network.run(scope, async (repo) => {
        const tags = tagsFor('internet-gateway', input.TagSpecifications);
        const gateway = await createInternetGateway(repo);
        await repo.addTags(gateway.internetGatewayId, tags);
        return { InternetGateway: internetGatewayView({ record: gateway, tags }, scope) };
      });
    },
    async AttachInternetGateway(input: { InternetGatewayId: string; VpcId: string }, { scope }) {
      await network.run(scope, (repo) => attachInternetGateway(repo, input.InternetGatewayId, input.VpcId));
      return {};
    },
    async DetachInternetGateway(input: { InternetGatewayId: string; VpcId: string }, { scope }) {
      await network.run(scope, (repo) => detachInternetGateway(repo, input.InternetGatewayId, input.VpcId));
      return {};
    },
    async DeleteInternetGateway(input: { InternetGatewayId: string }, { scope }) {
      await network.run(scope, (repo) => deleteInternetGateway(repo, input.InternetGatewayId));
      return {};
    },
    async DescribeInternetGateways(input: DescribeInput & { InternetGatewayIds?: string[] }, { scope }) {
      const found = await network.describeInternetGateways(scope, { ids: input.InternetGatewayIds, filters: input.Filters });
      const p = page(found, input.MaxResults, input.NextToken);
      return { InternetGateways: p.items.map((d) => internetGatewayView(d, scope)), ...(p.NextToken && { NextToken: p.NextToken }) };
    },
    async CreateRouteTable(input: { VpcId: string; TagSpecifications?: TagSpecs; ClientToken?: string }, { scope }) {
      return network.run(scope, async (repo) => {
        const tags = tagsFor('route-table', input.TagSpecifications);
        const token = input.ClientToken;
        // The SDKs fill ClientToken in on every call, so a retry after a lost answer carries the
        // same one: it gets the table the first call made, not a second one.
        const idempotency = token === undefined ? undefined : { clientToken: token, parametersHash: requestHash({ vpcId: input.VpcId, tags }) };
        const earlier = idempotency && (await routeTableOfToken(repo, idempotency));
        if (earlier) {
          const current = await repo.tagsOf(earlier.routeTableId);
          return { RouteTable: routeTableView({ record: earlier, tags: current }, scope), ClientToken: token };
        }
        const table = await createRouteTable(repo, input.VpcId, idempotency);
        await repo.addTags(table.routeTableId, tags);
        return { RouteTable: routeTableView({ record: table, tags }, scope), ...(token !== undefined && { ClientToken: token }) };
      });
    },
    async DescribeRouteTables(input: DescribeInput & { RouteTableIds?: string[] }, { scope }) {
      const found = await network.describeRouteTables(scope, { ids: input.RouteTableIds, filters: input.Filters });
      const p = page(found, input.MaxResults, input.NextToken);
      return { RouteTables: p.items.map((d) => routeTableView(d, scope)), ...(p.NextToken && { NextToken: p.NextToken }) };
    },
    async DeleteRouteTable(input: { RouteTableId: string }, { scope }) {
      await network.run(scope, (repo) => deleteRouteTable(repo, input.RouteTableId));
      return {};
    },
    async CreateRoute(input: RouteInput, { scope }) {
      await network.run(scope, (repo) => createRoute(repo, input));
      return { Return: true };
    },
    async DeleteRoute(input: { RouteTableId: string; DestinationCidrBlock?: string }, { scope }) {
      await network.run(scope, (repo) => deleteRoute(repo, input.RouteTableId, input.DestinationCidrBlock));
      return {};
    },
    async AssociateRouteTable(input: { RouteTableId: string; SubnetId?: string }, { scope }) {
      const id = await network.run(scope, (repo) => associateRouteTable(repo, input.RouteTableId, input.SubnetId));
      return { AssociationId: id, AssociationState: { State: 'associated' } };
    },
    async DisassociateRouteTable(input: { AssociationId: string }, { scope }) {
      await network.run(scope, (repo) => disassociateRouteTable(repo, input.AssociationId));
      return {};
    },
    /**
     * minato's task network interfaces are not EC2 resources yet, so there are none to list; the
     * provider lists them before it deletes a subnet or a security group.
     */
    async DescribeNetworkInterfaces(input: { NetworkInterfaceIds?: string[] }) {
      const [id] = input.NetworkInterfaceIds ?? [];
      if (id !== undefined) throw notFoundError('network-interface', `The networkInterface ID '${id}' does not exist`);
      return { NetworkInterfaces: [] };
    },
    async DescribeNetworkAcls(input: DescribeInput & { NetworkAclIds?: string[] }, { scope }) {
      const found = await network.describeNetworkAcls(scope, { ids: input.NetworkAclIds, filters: input.Filters });
      const p = page(found, input.MaxResults, input.NextToken);
      return { NetworkAcls: p.items.map((d) => networkAclView(d, scope)), ...(p.NextToken && { NextToken: p.NextToken }) };
    },
  };
}
