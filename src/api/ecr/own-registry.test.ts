import { describe, expect, it } from 'vitest';
import type { OperationHandler } from '../../server/service.js';
import { FOREIGN_REGISTRY, ownRegistryOnly } from './own-registry.js';

const scope = { accountId: '111122223333', region: 'eu-west-1', principalArn: 'arn:aws:iam::111122223333:user/dev', now: new Date('2026-01-01T00:00:00Z') };
const ctx = { scope, requestId: 'r' };

describe('ownRegistryOnly', () => {
  const calls: unknown[] = [];
  const echo: OperationHandler = async (input) => {
    calls.push(input);
    return input;
  };
  const handlers = ownRegistryOnly({ ListImages: echo, DescribeRepositories: echo, DescribePullThroughCacheRules: echo });

  it('passes requests without a registryId, or with the caller\'s own, on unchanged', async () => {
    await expect(handlers.ListImages!({ repositoryName: 'app' }, ctx)).resolves.toEqual({ repositoryName: 'app' });
    await expect(handlers.ListImages!({ registryId: '111122223333', repositoryName: 'app' }, ctx)).resolves.toEqual({ registryId: '111122223333', repositoryName: 'app' });
    expect(calls).toHaveLength(2);
  });

  it('refuses another account\'s registry before the handler runs, naming the resource ECR would', async () => {
    calls.length = 0;
    await expect(handlers.ListImages!({ registryId: '999999999999', repositoryName: 'app' }, ctx)).rejects.toMatchObject({
      kind: 'AccessDenied',
      subject: FOREIGN_REGISTRY,
      message:
        'User: arn:aws:iam::111122223333:user/dev is not authorized to perform: ecr:ListImages on resource: arn:aws:ecr:eu-west-1:999999999999:repository/app because no resource-based policy allows the ecr:ListImages action',
    });
    await expect(handlers.DescribeRepositories!({ registryId: '999999999999', repositoryNames: ['a', 'b'] }, ctx)).rejects.toMatchObject({
      message: expect.stringContaining('on resource: arn:aws:ecr:eu-west-1:999999999999:repository/a because'),
    });
    await expect(handlers.DescribePullThroughCacheRules!({ registryId: '999999999999' }, ctx)).rejects.toMatchObject({
      message: expect.stringContaining('on resource: arn:aws:ecr:eu-west-1:999999999999:repository/* because'),
    });
    expect(calls).toEqual([]);
  });
});
