import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/errors.js';
import { Deliverer } from '../../sns/deliverer.js';
import { loadOrCreateSigningKey } from '../../sns/signing-key.js';
import { Sns } from '../../sns/sns.js';
import { MemoryStore } from '../../store/memory-store.js';
import { snsErrorName } from './errors.js';
import { snsService } from './sns-service.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-sns-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ACCOUNT = '123456789012';
const ctx = { scope: { accountId: ACCOUNT, region: 'us-east-1', principalArn: `arn:aws:iam::${ACCOUNT}:root`, now: new Date(0) }, requestId: 'r' };

describe('CreateTopic', () => {
  it('refuses a DataProtectionPolicy with InvalidParameter and creates no topic', async () => {
    const store = new MemoryStore();
    const deliverer = new Deliverer(store);
    await deliverer.stop();
    const sns = new Sns({ store, key: loadOrCreateSigningKey(dir), deliverer, endpoint: () => 'http://minato.test' });
    const { handlers } = snsService(sns);
    const err: unknown = await handlers.CreateTopic!({ Name: 'masked', DataProtectionPolicy: '{"Name":"p","Version":"2021-06-01","Statement":[]}' }, ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isDomainError(err)) throw new Error('DataProtectionPolicy was not refused');
    expect({ name: snsErrorName(err, 'CreateTopic'), message: err.message }).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: DataProtectionPolicy: message data protection is not supported by this endpoint; messages are neither audited, masked nor blocked.',
    });
    expect((await sns.listTopics(ctx.scope)).items).toEqual([]);
  });
});
