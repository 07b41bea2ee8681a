import { describe, expect, it } from 'vitest';
import type { Scope } from '../../lib/scope.js';
import { MemoryStore } from '../../store/memory-store.js';
import { UpstreamClients } from './credentials.js';
import { PullThroughRules, upstreamBaseUrl } from './rules.js';

const scope: Scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date('2026-12-01T00:00:00Z') };

describe('pull through cache rules', () => {
  it('keep the upstream URL as it was given (as ECR returns it) and ask it over https unless it says http', async () => {
    const rules = new PullThroughRules(new MemoryStore(), new UpstreamClients());
    const bare = await rules.create(scope, { ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' });
    expect((await rules.get(scope, 'ecr-public')).upstreamRegistryUrl).toBe('public.ecr.aws');
    expect(upstreamBaseUrl(bare)).toBe('https://public.ecr.aws');
    const local = await rules.create(scope, { ecrRepositoryPrefix: 'local', upstreamRegistryUrl: 'http://127.0.0.1:5000/' });
    expect(local.upstreamRegistryUrl).toBe('http://127.0.0.1:5000/');
    expect(upstreamBaseUrl(local)).toBe('http://127.0.0.1:5000');
    await expect(rules.create(scope, { ecrRepositoryPrefix: 'bad', upstreamRegistryUrl: 'ftp://x' })).rejects.toThrow("must be a registry URL");
  });
});
