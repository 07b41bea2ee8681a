import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNS_UNSIGNED_GETS, snsCertificateRoute } from '../../src/api/sns/routes.js';
import { snsService } from '../../src/api/sns/sns-service.js';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from '../../src/server/http-server.js';
import { Deliverer } from '../../src/sns/deliverer.js';
import { loadOrCreateSigningKey } from '../../src/sns/signing-key.js';
import { Sns } from '../../src/sns/sns.js';
import { MemoryStore } from '../../src/store/memory-store.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-sns-unsigned-'));
const here = { accountId: '000000000000', region: 'us-east-1' };
let app: FastifyInstance;
let endpoint = '';
let sns: Sns;

beforeAll(async () => {
  const store = new MemoryStore();
  const deliverer = new Deliverer(store);
  // Nothing is posted anywhere: the tests read tokens from the store.
  await deliverer.stop();
  sns = new Sns({ store, key: loadOrCreateSigningKey(dir), deliverer, endpoint: () => endpoint });
  app = buildFrontDoor({
    accountId: here.accountId,
    credentials: new Map([['test', 'test']]),
    services: [snsService(sns)],
    routes: [snsCertificateRoute(sns)],
    unsignedGets: SNS_UNSIGNED_GETS,
    logger: pino({ level: 'silent' }),
    bodyLimit: DEFAULT_BODY_LIMIT,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const confirmQuery = (topicArn: string, token: string) => `Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`;

describe('the unsigned SNS links', () => {
  it('confirm with a plain GET of /, and only that', async () => {
    const topic = await sns.createTopic(here, 'links');
    const sub = await sns.subscribe(here, topic.arn, 'http', 'http://127.0.0.1:9/hook');
    const query = confirmQuery(topic.arn, sub.token);
    // Not at another path, not POSTed, not with a signature (which is then checked: this one is
    // incomplete), not for another action, not for a region the endpoint does not serve.
    expect((await fetch(`${endpoint}/other?${query}`)).status).toBe(404);
    expect((await fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: query })).status).toBe(403);
    expect((await fetch(`${endpoint}/?${query}`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=00' } })).status).toBe(400);
    expect((await fetch(`${endpoint}/?${query}&X-Amz-Signature=00`)).status).toBe(403);
    expect((await fetch(`${endpoint}/?Action=ListTopics`)).status).toBe(403);
    expect((await fetch(`${endpoint}/?${confirmQuery(topic.arn.replace('us-east-1', 'xx-nowhere-1'), sub.token)}`)).status).toBe(403);
    expect((await sns.listSubscriptions(here, undefined, topic.arn)).items[0]!.confirmed).toBe(false);

    const wrong = await fetch(`${endpoint}/?${confirmQuery(topic.arn, 'wrong')}`);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('<Code>InvalidParameter</Code>');
    const ok = await fetch(`${endpoint}/?${query}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain(`<SubscriptionArn>${sub.arn}</SubscriptionArn>`);
    expect((await sns.listSubscriptions(here, undefined, topic.arn)).items[0]!.confirmed).toBe(true);

    const gone = await fetch(`${endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.arn)}`);
    expect(gone.status).toBe(200);
    expect((await sns.listSubscriptions(here, undefined, topic.arn)).items).toEqual([]);
  });

  it('serve the signing certificate at its name only', async () => {
    const cert = sns.signingCertificate;
    const res = await fetch(`${endpoint}/sns/${cert.name}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(cert.pem);
    expect((await fetch(`${endpoint}/sns/SimpleNotificationService-other.pem`)).status).toBe(404);
  });
});
