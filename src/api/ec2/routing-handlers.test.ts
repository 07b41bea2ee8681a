import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../store/memory-store.js';
import { Ec2Network } from '../../vpc/network.js';
import { routingHandlers } from './routing-handlers.js';
import { ec2ErrorName } from './errors.js';
import type { DomainError } from '../../lib/errors.js';

const scope = { accountId: '123456789012', region: 'eu-west-1', principalArn: 'arn:aws:iam::123456789012:root', now: new Date('2026-01-01T00:00:00Z') };
const ctx = { scope, requestId: 'r' };

type Table = { RouteTableId: string; Tags?: Array<{ Key: string; Value: string }> };

async function setup() {
  const network = new Ec2Network(new MemoryStore());
  const [vpc] = await network.describeVpcs(scope, {});
  const h = routingHandlers(network);
  const create = async (input: object) => (await h.CreateRouteTable!({ VpcId: vpc!.record.vpcId, ...input }, ctx)) as { RouteTable: Table; ClientToken?: string };
  const ids = async () => ((await h.DescribeRouteTables!({}, ctx)) as { RouteTables: Table[] }).RouteTables.map((t) => t.RouteTableId);
  return { network, h, vpcId: vpc!.record.vpcId, create, ids };
}

describe('CreateRouteTable ClientToken', () => {
  it('answers a retry with the table the first call made, listed once, and echoes the token', async () => {
    const { create, ids } = await setup();
    const before = (await ids()).length;
    const first = await create({ ClientToken: 't-1' });
    const again = await create({ ClientToken: 't-1' });
    expect(again.RouteTable.RouteTableId).toBe(first.RouteTable.RouteTableId);
    expect(again.ClientToken).toBe('t-1');
    const listed = await ids();
    expect(listed).toHaveLength(before + 1);
    expect(listed.filter((id) => id === first.RouteTable.RouteTableId)).toHaveLength(1);
    // Without a token every call makes a table; another token makes another.
    await create({});
    await create({});
    await create({ ClientToken: 't-2' });
    expect(await ids()).toHaveLength(before + 4);
  });

  it('refuses the same token with other parameters (IdempotentParameterMismatch) and makes nothing', async () => {
    const { create, ids } = await setup();
    await create({ ClientToken: 't-1', TagSpecifications: [{ ResourceType: 'route-table', Tags: [{ Key: 'Name', Value: 'a' }] }] });
    const count = (await ids()).length;
    const tagged = create({ ClientToken: 't-1', TagSpecifications: [{ ResourceType: 'route-table', Tags: [{ Key: 'Name', Value: 'b' }] }] });
    const err = (await tagged.catch((e: unknown) => e)) as DomainError;
    expect(ec2ErrorName(err)).toBe('IdempotentParameterMismatch');
    expect(err.message).toBe('Arguments on this idempotent request are inconsistent with arguments used in previous request(s).');
    // Another VPC is another parameter too: the mismatch is found before the VPC is looked up.
    await expect(create({ ClientToken: 't-1', VpcId: 'vpc-0123456789abcdef0' })).rejects.toMatchObject({ kind: 'Conflict', subject: 'idempotency' });
    expect(await ids()).toHaveLength(count);
  });

  it('shows the table as it is now on a retry, without putting back a tag removed since', async () => {
    const { create, network } = await setup();
    const spec = [{ ResourceType: 'route-table', Tags: [{ Key: 'Name', Value: 'a' }] }];
    const first = await create({ ClientToken: 't-1', TagSpecifications: spec });
    expect(first.RouteTable.Tags).toEqual([{ Key: 'Name', Value: 'a' }]);
    await network.run(scope, (repo) => repo.setTags(first.RouteTable.RouteTableId, []));
    const again = await create({ ClientToken: 't-1', TagSpecifications: spec });
    expect(again.RouteTable.RouteTableId).toBe(first.RouteTable.RouteTableId);
    expect(again.RouteTable.Tags ?? []).toEqual([]);
  });

  it('forgets the token with the table: after DeleteRouteTable the token makes a new one', async () => {
    const { create, h } = await setup();
    const first = await create({ ClientToken: 't-1' });
    await h.DeleteRouteTable!({ RouteTableId: first.RouteTable.RouteTableId }, ctx);
    const next = await create({ ClientToken: 't-1' });
    expect(next.RouteTable.RouteTableId).not.toBe(first.RouteTable.RouteTableId);
  });
});
