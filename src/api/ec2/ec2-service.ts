import type { AwsService, OperationHandler } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import type { Filter, Tag } from '../../vpc/filters.js';
import type { Ec2Network } from '../../vpc/network.js';
import { tagsFor } from '../../vpc/tags.js';
import { createSubnet, createVpc, deleteSubnet, deleteVpc, modifySubnetAttribute, modifyVpcAttribute } from '../../vpc/vpcs.js';
import { ec2ErrorName } from './errors.js';
import { securityGroupHandlers } from './security-group-handlers.js';
import { routingHandlers } from './routing-handlers.js';
import { accountAttributes, availabilityZones } from './region-facts.js';
import { page, subnetView, vpcView } from './views.js';

type TagSpecs = Array<{ ResourceType?: string; Tags?: Tag[] }>;
type DescribeInput = { Filters?: Filter[]; MaxResults?: number; NextToken?: string };

/** Applies a create's TagSpecifications to the new resource, in the same transaction. */
export async function tagNew(repo: { addTags(id: string, tags: readonly Tag[]): Promise<void> }, id: string, type: string, specs: TagSpecs | undefined): Promise<Tag[]> {
  const tags = tagsFor(type, specs);
  await repo.addTags(id, tags);
  return tags;
}

/**
 * Amazon EC2's networking operations, as Fargate configurations use them, over EC2's protocol:
 * VPCs (each region has its default one), subnets, security groups and rules, internet
 * gateways, route tables, zones, account attributes and tags. Other EC2 operations answer
 * InvalidAction (the model holds only these).
 */
export function ec2Service(network: Ec2Network): AwsService {
  const handlers: Record<string, OperationHandler> = {
    async CreateVpc(input: { CidrBlock?: string; InstanceTenancy?: string; TagSpecifications?: TagSpecs }, { scope }) {
      return network.run(scope, async (repo) => {
        const vpc = await createVpc(repo, input);
        const tags = await tagNew(repo, vpc.vpcId, 'vpc', input.TagSpecifications);
        return { Vpc: { ...vpcView({ record: vpc, tags }, scope), State: 'pending' } };
      });
    },
    async DescribeVpcs(input: DescribeInput & { VpcIds?: string[] }, { scope }) {
      const found = await network.describeVpcs(scope, { ids: input.VpcIds, filters: input.Filters });
      const p = page(found, input.MaxResults, input.NextToken);
      return { Vpcs: p.items.map((d) => vpcView(d, scope)), ...(p.NextToken && { NextToken: p.NextToken }) };
    },
    async DeleteVpc(input: { VpcId: string }, { scope }) {
      await network.run(scope, (repo) => deleteVpc(repo, input.VpcId));
      return {};
    },
    async ModifyVpcAttribute(input: Parameters<typeof modifyVpcAttribute>[1], { scope }) {
      await network.run(scope, (repo) => modifyVpcAttribute(repo, input));
      return {};
    },
    async DescribeVpcAttribute(input: { VpcId: string; Attribute: string }, { scope }) {
      const vpc = await network.run(scope, (repo) => repo.vpcs.require(input.VpcId));
      const attribute = input.Attribute as 'enableDnsSupport' | 'enableDnsHostnames' | 'enableNetworkAddressUsageMetrics';
      const member = attribute[0]!.toUpperCase() + attribute.slice(1);
      return { VpcId: vpc.vpcId, [member]: { Value: vpc[attribute] } };
    },
    async CreateSubnet(input: Parameters<typeof createSubnet>[1] & { TagSpecifications?: TagSpecs }, { scope }) {
      return network.run(scope, async (repo) => {
        const subnet = await createSubnet(repo, input);
        const tags = await tagNew(repo, subnet.subnetId, 'subnet', input.TagSpecifications);
        return { Subnet: subnetView({ record: subnet, tags }, scope) };
      });
    },
    async DescribeSubnets(input: DescribeInput & { SubnetIds?: string[] }, { scope }) {
      const found = await network.describeSubnets(scope, { ids: input.SubnetIds, filters: input.Filters });
      const p = page(found, input.MaxResults, input.NextToken);
      return { Subnets: p.items.map((d) => subnetView(d, scope)), ...(p.NextToken && { NextToken: p.NextToken }) };
    },
    async DeleteSubnet(input: { SubnetId: string }, { scope }) {
      await network.run(scope, (repo) => deleteSubnet(repo, input.SubnetId));
      return {};
    },
    async ModifySubnetAttribute(input: Parameters<typeof modifySubnetAttribute>[1], { scope }) {
      await network.run(scope, (repo) => modifySubnetAttribute(repo, input));
      return {};
    },
    ...securityGroupHandlers(network),
    ...routingHandlers(network),
    async DescribeAvailabilityZones(input: { ZoneNames?: string[]; ZoneIds?: string[]; Filters?: Filter[] }, { scope }) {
      return { AvailabilityZones: availabilityZones(scope.region, input) };
    },
    async DescribeAccountAttributes(input: { AttributeNames?: string[] }, { scope }) {
      const vpcs = await network.describeVpcs(scope, { filters: [{ Name: 'is-default', Values: ['true'] }] });
      return { AccountAttributes: accountAttributes(vpcs[0]?.record.vpcId, input.AttributeNames) };
    },
    async CreateTags(input: { Resources: string[]; Tags: Tag[] }, { scope }) {
      await network.createTags(scope, input.Resources, input.Tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })));
      return {};
    },
    async DeleteTags(input: { Resources: string[]; Tags?: Array<{ Key?: string; Value?: string }> }, { scope }) {
      await network.deleteTags(scope, input.Resources, input.Tags);
      return {};
    },
    async DescribeTags(input: DescribeInput, { scope }) {
      const p = page(await network.describeTags(scope, input.Filters), input.MaxResults, input.NextToken);
      return { Tags: p.items, ...(p.NextToken && { NextToken: p.NextToken }) };
    },
  };
  return {
    signingName: 'ec2',
    model: loadServiceModel('ec2'),
    handlers: withDryRun(handlers),
    errorName: ec2ErrorName,
    unmodelledErrors: true,
    constraintErrorName: 'InvalidParameterValue',
    genericErrorNames: { client: 'InvalidParameterValue', server: 'InternalError' },
  };
}

/** `DryRun=true` answers DryRunOperation before anything is read or changed, as EC2 does for a permitted call. */
function withDryRun(handlers: Record<string, OperationHandler>): Record<string, OperationHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      (input: { DryRun?: boolean }, ctx: Parameters<OperationHandler>[1]) => {
        if (input.DryRun === true) throw new DomainError(ErrorKind.InvalidArgument, 'Request would have succeeded, but DryRun flag is set.', 'dry-run');
        return handler(input, ctx);
      },
    ]),
  );
}

