import { CreateClusterCommand, DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { rawCall, type RawCall } from './support/signed-fetch.js';

const TARGET = 'AmazonEC2ContainerServiceV20141113';
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ accountId: '123456789012' });
});
afterAll(() => platform.dispose());

/** The cluster names stored in us-east-1, to prove a refused request changed nothing. */
async function storedClusters(): Promise<string[]> {
  const res = await rawCall(platform.endpoint, { target: `${TARGET}.ListClusters` });
  return (res.json?.clusterArns as string[]).map((arn) => arn.split('/').pop()!);
}

describe('the AWS front door', () => {
  it('answers STS GetCallerIdentity over the Query protocol with the configured account', async () => {
    const sts = new STSClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:root', UserId: '123456789012' });
    sts.destroy();
  });

  it('accepts a presigned GET (query-string SigV4) and refuses it once tampered with', async () => {
    const url = new URL(platform.endpoint);
    const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'sts', sha256: Sha256 });
    const presigned = await signer.presign(
      { method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: url.host } },
      { expiresIn: 60 },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const ok = await fetch(`${platform.endpoint}/?${query}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<Account>123456789012</Account>');
    const tampered = await fetch(`${platform.endpoint}/?${query.replace('GetCallerIdentity', 'GetSessionToken')}`);
    // Query-protocol services name a signature mismatch as STS does, with its status.
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const unknownKey = await fetch(`${platform.endpoint}/?${query.replace(/X-Amz-Credential=test/, 'X-Amz-Credential=AKIDNOBODY')}`);
    expect(unknownKey.status).toBe(403);
    expect(await unknownKey.text()).toContain('<Code>InvalidClientTokenId</Code>');
  });

  it('puts x-amzn-RequestId on every response, errors included', async () => {
    const ok = await rawCall(platform.endpoint, { target: `${TARGET}.ListClusters` });
    const bad = await rawCall(platform.endpoint, { target: `${TARGET}.ListClusters`, sign: false });
    for (const res of [ok, bad]) expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers.get('x-amzn-requestid')).not.toBe(bad.headers.get('x-amzn-requestid'));
  });

  it.each([
    ['malformed JSON', { target: `${TARGET}.CreateCluster`, body: '{"clusterName": "x"' }, 400, 'SerializationException'],
    ['a JSON array body', { target: `${TARGET}.CreateCluster`, body: '[]' }, 400, 'SerializationException'],
    ['a wrongly typed member', { target: `${TARGET}.CreateCluster`, body: '{"clusterName": 5}' }, 400, 'SerializationException'],
    ['an unknown operation', { target: `${TARGET}.LaunchRockets` }, 400, 'UnknownOperationException'],
    ['an unknown service prefix', { target: 'NoSuchService_20200101.Do' }, 400, 'UnknownOperationException'],
    ['a missing signature', { target: `${TARGET}.CreateCluster`, sign: false }, 403, 'MissingAuthenticationTokenException'],
    ['an unknown access key', { target: `${TARGET}.CreateCluster`, credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } }, 400, 'UnrecognizedClientException'],
    ['the wrong secret', { target: `${TARGET}.CreateCluster`, credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }, 400, 'InvalidSignatureException'],
    ['an expired timestamp', { target: `${TARGET}.CreateCluster`, signingDate: new Date(Date.now() - 20 * 60_000) }, 400, 'InvalidSignatureException'],
    ['a timestamp from the future', { target: `${TARGET}.CreateCluster`, signingDate: new Date(Date.now() + 20 * 60_000) }, 400, 'InvalidSignatureException'],
    ['a signature scoped to another service', { target: `${TARGET}.CreateCluster`, service: 'ecr' }, 400, 'InvalidSignatureException'],
    ['an unsigned payload', { target: `${TARGET}.CreateCluster`, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, 400, 'InvalidSignatureException'],
  ] as Array<[string, RawCall, number, string]>)('answers %s with AWS\'s error and stores nothing', async (_label, call, status, type) => {
    const body = call.body ?? JSON.stringify({ clusterName: 'must-not-exist' });
    const res = await rawCall(platform.endpoint, { ...call, body });
    expect(res.status).toBe(status);
    expect(res.json?.__type).toBe(type);
    expect(typeof res.json?.message).toBe('string');
    expect(res.headers.get('x-amzn-errortype')).toBe(type);
    expect(await storedClusters()).not.toContain('must-not-exist');
  });

  it('names the expiry in the message as AWS does', async () => {
    const res = await rawCall(platform.endpoint, { target: `${TARGET}.ListClusters`, signingDate: new Date(Date.now() - 3_600_000) });
    expect(res.json?.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const huge = JSON.stringify({ clusterName: 'huge', padding: 'x'.repeat(1024 * 1024 + 10) });
    const res = await rawCall(platform.endpoint, { target: `${TARGET}.CreateCluster`, body: huge });
    expect(res.status).toBe(413);
    expect(res.json?.__type).toBe('RequestEntityTooLargeException');
    expect(await storedClusters()).not.toContain('huge');
  });

  it('makes the SDK raise the named exception for signature errors', async () => {
    const wrong = new ECSClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'nope' }, maxAttempts: 1 });
    await expect(wrong.send(new DescribeClustersCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    wrong.destroy();
  });

  it('takes the region from the credential scope', async () => {
    const eu = platform.ecs('eu-west-1');
    const { cluster } = await eu.send(new CreateClusterCommand({ clusterName: 'regional' }));
    expect(cluster?.clusterArn).toBe('arn:aws:ecs:eu-west-1:123456789012:cluster/regional');
    eu.destroy();
  });
});
