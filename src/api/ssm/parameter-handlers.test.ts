import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretsDomain } from '../../secrets/secrets-domain.js';
import { MemoryStore } from '../../store/memory-store.js';
import { parameterHandlers } from './parameter-handlers.js';

const ACCOUNT = '123456789012';
const ctx = { scope: { accountId: ACCOUNT, region: 'us-east-1', principalArn: `arn:aws:iam::${ACCOUNT}:root`, now: new Date('2026-01-01T00:00:00Z') }, requestId: 'r' };

describe('DescribeParameters Shared', () => {
  it('lists nothing when true (no parameter is shared with this account) and the account’s own when false', async () => {
    const handlers = parameterHandlers(createSecretsDomain(new MemoryStore(), randomBytes(32)));
    for (const name of ['/a', '/b', '/c']) await handlers.PutParameter!({ Name: name, Value: 'v', Type: 'String' }, ctx);
    expect(await handlers.DescribeParameters!({ Shared: true, MaxResults: 1 }, ctx)).toEqual({ Parameters: [] });
    const own = (await handlers.DescribeParameters!({ Shared: false, MaxResults: 2 }, ctx)) as { Parameters: Array<{ Name: string }>; NextToken?: string };
    expect(own.Parameters.map((p) => p.Name)).toEqual(['/a', '/b']);
    expect(own.NextToken).toBeDefined();
    // The token is checked as for any listing.
    await expect(handlers.DescribeParameters!({ Shared: true, NextToken: 'forged' }, ctx)).rejects.toMatchObject({ kind: 'InvalidArgument' });
  });
});
