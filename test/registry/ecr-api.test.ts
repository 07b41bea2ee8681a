import { randomBytes } from 'node:crypto';
import {
  BatchCheckLayerAvailabilityCommand,
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  GetDownloadUrlForLayerCommand,
  GetRepositoryPolicyCommand,
  InitiateLayerUploadCommand,
  ListImageReferrersCommand,
  ListImagesCommand,
  ListTagsForResourceCommand,
  PutImageCommand,
  PutImageTagMutabilityCommand,
  SetRepositoryPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UploadLayerPartCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRegistry } from './harness.js';
import { imageManifest, pushBlob, sha256, v2 } from './v2-client.js';

const reg = useTestRegistry();
let ecr: ECRClient;
beforeAll(() => {
  ecr = reg().ecr();
});

/** The exception name the SDK raised. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected the call to fail');
}

/** Pushes config + layer over /v2/ and returns a manifest over them. */
async function manifestIn(repo: string, content: string): Promise<string> {
  const configBytes = JSON.stringify({ os: 'linux', architecture: 'amd64', content });
  const config = await pushBlob(reg(), repo, configBytes);
  const layer = await pushBlob(reg(), repo, content);
  return imageManifest({ digest: config, size: configBytes.length }, [{ digest: layer, size: content.length }]);
}

describe('repositories', () => {
  it('creates a repository with its settings and ECR\'s URI and ARN', async () => {
    const { repository } = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'api/settings',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/abc' },
        tags: [{ Key: 'team', Value: 'web' }],
      }),
    );
    expect(repository).toMatchObject({
      repositoryArn: 'arn:aws:ecr:us-east-1:000000000000:repository/api/settings',
      registryId: '000000000000',
      repositoryName: 'api/settings',
      repositoryUri: '000000000000.dkr.ecr.us-east-1.amazonaws.com/api/settings',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/abc' },
    });
    expect(repository!.createdAt).toBeInstanceOf(Date);
    const tags = await ecr.send(new ListTagsForResourceCommand({ resourceArn: repository!.repositoryArn }));
    expect(tags.tags).toEqual([{ Key: 'team', Value: 'web' }]);
    expect((await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'api/settings' })))).name).toBe('RepositoryAlreadyExistsException');
    expect((await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'Upper' })))).name).toBe('InvalidParameterException');
    expect((await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'x', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' })))).name).toBe('InvalidParameterException');
  });

  it('describes repositories by name and page by page, per region', async () => {
    for (const name of ['api/d1', 'api/d2', 'api/d3']) await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    const named = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['api/d2'] }));
    expect(named.repositories!.map((r) => r.repositoryName)).toEqual(['api/d2']);
    const missing = await failure(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['api/none'] })));
    expect(missing.name).toBe('RepositoryNotFoundException');
    expect(missing.message).toBe("The repository with name 'api/none' does not exist in the registry with id '000000000000'");
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 2, ...(nextToken && { nextToken }) }));
      expect(page.repositories!.length).toBeLessThanOrEqual(2);
      seen.push(...page.repositories!.map((r) => r.repositoryName!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['api/d1', 'api/d2', 'api/d3']));
    const west = reg().ecr('us-west-2');
    expect((await west.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
  });

  it('deletes only empty repositories unless forced; the registry forgets them', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api/doomed' }));
    const manifest = await manifestIn('api/doomed', 'doomed layer');
    await ecr.send(new PutImageCommand({ repositoryName: 'api/doomed', imageManifest: manifest, imageTag: 'v1' }));
    expect((await failure(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'api/doomed' })))).name).toBe('RepositoryNotEmptyException');
    const { repository } = await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'api/doomed', force: true }));
    expect(repository!.repositoryName).toBe('api/doomed');
    expect((await v2(reg(), 'GET', '/v2/api/doomed/manifests/v1')).code).toBe('NAME_UNKNOWN');
    // Created again, it starts empty.
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api/doomed' }));
    expect((await ecr.send(new ListImagesCommand({ repositoryName: 'api/doomed' }))).imageIds).toEqual([]);
  });

  it('stores, returns and deletes a validated repository policy', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api/policy' }));
    const policyText = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage'] }] });
    expect((await failure(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'api/policy' })))).name).toBe('RepositoryPolicyNotFoundException');
    expect((await failure(ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'api/policy', policyText: '{"Statement":' })))).name).toBe('InvalidParameterException');
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'api/policy', policyText }));
    expect((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'api/policy' }))).policyText).toBe(policyText);
    expect((await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'api/policy' }))).policyText).toBe(policyText);
    expect((await failure(ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'api/policy' })))).name).toBe('RepositoryPolicyNotFoundException');
  });

  it('tags and untags repositories by ARN', async () => {
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api/tagged' }));
    const resourceArn = repository!.repositoryArn!;
    await ecr.send(new TagResourceCommand({ resourceArn, tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await ecr.send(new TagResourceCommand({ resourceArn, tags: [{ Key: 'a', Value: '3' }] }));
    await ecr.send(new UntagResourceCommand({ resourceArn, tagKeys: ['b'] }));
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([{ Key: 'a', Value: '3' }]);
    expect((await failure(ecr.send(new TagResourceCommand({ resourceArn, tags: [{ Key: 'aws:x', Value: '1' }] })))).name).toBe('InvalidTagParameterException');
    const other = 'arn:aws:ecr:us-east-1:000000000000:repository/api/not-there';
    expect((await failure(ecr.send(new ListTagsForResourceCommand({ resourceArn: other })))).name).toBe('RepositoryNotFoundException');
  });
});

describe('registryId', () => {
  const FOREIGN = '999999999999';
  const denied = (action: string, resource: string) => ({
    name: 'AccessDeniedException',
    message: `User: arn:aws:iam::000000000000:root is not authorized to perform: ecr:${action} on resource: ${resource} because no resource-based policy allows the ecr:${action} action`,
  });

  it('acts on the caller\'s own registry when given its id, and refuses another account\'s without touching this one', async () => {
    const own = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api/own-registry', registryId: '000000000000' }));
    expect(own.repository?.registryId).toBe('000000000000');
    expect((await ecr.send(new DescribeRepositoriesCommand({ registryId: '000000000000', repositoryNames: ['api/own-registry'] }))).repositories).toHaveLength(1);

    const arn = `arn:aws:ecr:us-east-1:${FOREIGN}:repository/api/own-registry`;
    expect(await failure(ecr.send(new DescribeRepositoriesCommand({ registryId: FOREIGN, repositoryNames: ['api/own-registry'] })))).toEqual(denied('DescribeRepositories', arn));
    expect(await failure(ecr.send(new ListImagesCommand({ registryId: FOREIGN, repositoryName: 'api/own-registry' })))).toEqual(denied('ListImages', arn));
    expect(await failure(ecr.send(new DescribeRepositoriesCommand({ registryId: FOREIGN })))).toEqual(
      denied('DescribeRepositories', `arn:aws:ecr:us-east-1:${FOREIGN}:repository/*`),
    );
    // Neither made nor removed here.
    expect(await failure(ecr.send(new CreateRepositoryCommand({ registryId: FOREIGN, repositoryName: 'api/foreign-only' })))).toMatchObject({ name: 'AccessDeniedException' });
    expect(await failure(ecr.send(new DeleteRepositoryCommand({ registryId: FOREIGN, repositoryName: 'api/own-registry' })))).toMatchObject({ name: 'AccessDeniedException' });
    const names = (await ecr.send(new DescribeRepositoriesCommand({}))).repositories!.map((r) => r.repositoryName);
    expect(names).toContain('api/own-registry');
    expect(names).not.toContain('api/foreign-only');
  });
});

describe('GetAuthorizationToken', () => {
  it('returns AWS:<password> valid for 12 hours that logs in to /v2/ in the token\'s region', async () => {
    const before = Date.now();
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const data = authorizationData![0]!;
    expect(data.proxyEndpoint).toBe(reg().endpoint);
    const decoded = Buffer.from(data.authorizationToken!, 'base64').toString('utf8');
    expect(decoded.startsWith('AWS:')).toBe(true);
    expect(decoded.slice(4)).not.toContain(':');
    const hours = (data.expiresAt!.getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThan(12.1);
    const ok = await v2(reg(), 'GET', '/v2/', { authorization: `Basic ${data.authorizationToken}` });
    expect(ok.status).toBe(200);
    const tampered = Buffer.from(`${decoded.slice(0, -2)}xx`).toString('base64');
    expect((await v2(reg(), 'GET', '/v2/', { authorization: `Basic ${tampered}` })).status).toBe(401);

    const west = reg().ecr('us-west-2');
    await west.send(new CreateRepositoryCommand({ repositoryName: 'api/west' }));
    const westToken = (await west.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
    expect((await v2(reg(), 'GET', '/v2/api/west/tags/list', { authorization: `Basic ${westToken}` })).status).toBe(200);
    expect((await v2(reg(), 'GET', '/v2/api/west/tags/list', { authorization: `Basic ${data.authorizationToken}` })).code).toBe('NAME_UNKNOWN');
  });
});

describe('images through the API', () => {
  beforeAll(async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api/images' }));
  });

  it('uploads a layer in parts, checks availability, and gives a working download URL', async () => {
    const layer = randomBytes(300_000);
    const digest = sha256(layer);
    const { uploadId, partSize } = await ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'api/images' }));
    expect(partSize).toBeGreaterThan(0);
    const part = 100_000;
    for (let first = 0; first < layer.length; first += part) {
      const last = Math.min(first + part, layer.length) - 1;
      const res = await ecr.send(new UploadLayerPartCommand({ repositoryName: 'api/images', uploadId, partFirstByte: first, partLastByte: last, layerPartBlob: layer.subarray(first, last + 1) }));
      expect(res.lastByteReceived).toBe(last);
    }
    const skipped = await failure(ecr.send(new UploadLayerPartCommand({ repositoryName: 'api/images', uploadId, partFirstByte: 0, partLastByte: 0, layerPartBlob: Buffer.from('x') })));
    expect(skipped.name).toBe('InvalidLayerPartException');
    const wrong = await failure(ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'api/images', uploadId, layerDigests: [sha256('other')] })));
    expect(wrong.name).toBe('InvalidLayerException');
    const done = await ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'api/images', uploadId, layerDigests: [digest] }));
    expect(done.layerDigest).toBe(digest);
    expect((await failure(ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'api/images', uploadId, layerDigests: [digest] })))).name).toBe('UploadNotFoundException');

    const missing = sha256('missing layer');
    const check = await ecr.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: 'api/images', layerDigests: [digest, missing] }));
    expect(check.layers).toEqual([{ layerDigest: digest, layerAvailability: 'AVAILABLE', layerSize: layer.length }]);
    expect(check.failures).toEqual([{ layerDigest: missing, failureCode: 'MissingLayerDigest', failureReason: 'Could not find layer' }]);

    const { downloadUrl } = await ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'api/images', layerDigest: digest }));
    const download = await fetch(downloadUrl!);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(layer)).toBe(true);
    // The URL's token is for that blob only.
    const other = await pushBlob(reg(), 'api/images', 'another blob');
    const swapped = await fetch(downloadUrl!.replace(digest, other));
    expect(swapped.status).toBe(401);
    expect((await failure(ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'api/images', layerDigest: missing })))).name).toBe('LayersNotFoundException');

    const again = await ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'api/images' }));
    await ecr.send(new UploadLayerPartCommand({ repositoryName: 'api/images', uploadId: again.uploadId, partFirstByte: 0, partLastByte: layer.length - 1, layerPartBlob: layer }));
    const exists = await failure(ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'api/images', uploadId: again.uploadId, layerDigests: [digest] })));
    expect(exists.name).toBe('LayerAlreadyExistsException');
  });

  it('puts, gets, describes, lists and deletes images', async () => {
    const manifest = await manifestIn('api/images', 'image one');
    const digest = sha256(manifest);
    const put = await ecr.send(new PutImageCommand({ repositoryName: 'api/images', imageManifest: manifest, imageTag: 'one' }));
    expect(put.image).toMatchObject({ registryId: '000000000000', repositoryName: 'api/images', imageId: { imageDigest: digest, imageTag: 'one' }, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect((await failure(ecr.send(new PutImageCommand({ repositoryName: 'api/images', imageManifest: manifest, imageTag: 'one' })))).name).toBe('ImageAlreadyExistsException');
    await ecr.send(new PutImageCommand({ repositoryName: 'api/images', imageManifest: manifest, imageTag: 'alias' }));
    const untagged = await manifestIn('api/images', 'image two');
    await ecr.send(new PutImageCommand({ repositoryName: 'api/images', imageManifest: untagged, imageDigest: sha256(untagged) }));
    expect((await failure(ecr.send(new PutImageCommand({ repositoryName: 'api/images', imageManifest: untagged, imageDigest: sha256('x') })))).name).toBe('ImageDigestDoesNotMatchException');
    const dangling = imageManifest({ digest: sha256('nope'), size: 4 }, []);
    expect((await failure(ecr.send(new PutImageCommand({ repositoryName: 'api/images', imageManifest: dangling, imageTag: 'bad' })))).name).toBe('LayersNotFoundException');

    const got = await ecr.send(new BatchGetImageCommand({ repositoryName: 'api/images', imageIds: [{ imageTag: 'one' }, { imageTag: 'nope' }, { imageDigest: digest, imageTag: 'two' }] }));
    expect(got.images!.map((i) => [i.imageId, i.imageManifest])).toEqual([[{ imageDigest: digest, imageTag: 'one' }, manifest]]);
    expect(got.failures!.map((f) => f.failureCode)).toEqual(['ImageNotFound', 'ImageTagDoesNotMatchDigest']);

    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'api/images', imageIds: [{ imageTag: 'one' }] }));
    expect(imageDetails![0]).toMatchObject({
      registryId: '000000000000',
      repositoryName: 'api/images',
      imageDigest: digest,
      imageTags: ['alias', 'one'],
      imageSizeInBytes: 'image one'.length,
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactMediaType: 'application/vnd.oci.image.config.v1+json',
    });
    expect(imageDetails![0]!.imagePushedAt).toBeInstanceOf(Date);
    expect(imageDetails![0]!.lastRecordedPullTime).toBeInstanceOf(Date);
    expect((await failure(ecr.send(new DescribeImagesCommand({ repositoryName: 'api/images', imageIds: [{ imageTag: 'ghost' }] })))).name).toBe('ImageNotFoundException');

    const tagged = await ecr.send(new ListImagesCommand({ repositoryName: 'api/images', filter: { tagStatus: 'TAGGED' } }));
    expect(tagged.imageIds).toEqual(expect.arrayContaining([{ imageDigest: digest, imageTag: 'one' }, { imageDigest: digest, imageTag: 'alias' }]));
    const none = await ecr.send(new ListImagesCommand({ repositoryName: 'api/images', filter: { tagStatus: 'UNTAGGED' } }));
    expect(none.imageIds).toEqual([{ imageDigest: sha256(untagged) }]);
    const paged: unknown[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecr.send(new ListImagesCommand({ repositoryName: 'api/images', maxResults: 1, ...(nextToken && { nextToken }) }));
      expect(page.imageIds!.length).toBe(1);
      paged.push(...page.imageIds!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(paged).toHaveLength(3);

    const removeTag = await ecr.send(new BatchDeleteImageCommand({ repositoryName: 'api/images', imageIds: [{ imageTag: 'alias' }, { imageTag: 'ghost' }] }));
    expect(removeTag.imageIds).toEqual([{ imageDigest: digest, imageTag: 'alias' }]);
    expect(removeTag.failures!.map((f) => f.failureCode)).toEqual(['ImageNotFound']);
    // Removing the last tag deletes the image, as ECR documents.
    await ecr.send(new BatchDeleteImageCommand({ repositoryName: 'api/images', imageIds: [{ imageTag: 'one' }] }));
    expect((await v2(reg(), 'GET', `/v2/api/images/manifests/${digest}`)).code).toBe('MANIFEST_UNKNOWN');
    const byDigest = await ecr.send(new BatchDeleteImageCommand({ repositoryName: 'api/images', imageIds: [{ imageDigest: sha256(untagged) }] }));
    expect(byDigest.imageIds).toEqual([{ imageDigest: sha256(untagged) }]);
  });

  it('honours tag immutability and its exclusion filters', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api/immutable', imageTagMutability: 'IMMUTABLE' }));
    const first = await manifestIn('api/immutable', 'first');
    const second = await manifestIn('api/immutable', 'second');
    await ecr.send(new PutImageCommand({ repositoryName: 'api/immutable', imageManifest: first, imageTag: 'v1' }));
    const moved = await failure(ecr.send(new PutImageCommand({ repositoryName: 'api/immutable', imageManifest: second, imageTag: 'v1' })));
    expect(moved.name).toBe('ImageTagAlreadyExistsException');
    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'api/immutable', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'dev-*' }] }));
    await ecr.send(new PutImageCommand({ repositoryName: 'api/immutable', imageManifest: first, imageTag: 'dev-1' }));
    await ecr.send(new PutImageCommand({ repositoryName: 'api/immutable', imageManifest: second, imageTag: 'dev-1' }));
    expect((await failure(ecr.send(new PutImageCommand({ repositoryName: 'api/immutable', imageManifest: second, imageTag: 'v1' })))).name).toBe('ImageTagAlreadyExistsException');
    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'api/immutable', imageTagMutability: 'MUTABLE' }));
    await ecr.send(new PutImageCommand({ repositoryName: 'api/immutable', imageManifest: second, imageTag: 'v1' }));
  });

  it('lists referrers of an image', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api/referrers' }));
    const subject = await manifestIn('api/referrers', 'subject');
    await ecr.send(new PutImageCommand({ repositoryName: 'api/referrers', imageManifest: subject, imageTag: 'app' }));
    const empty = await pushBlob(reg(), 'api/referrers', '{}');
    const layer = await pushBlob(reg(), 'api/referrers', 'signature');
    const sig = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.example.sig',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty, size: 2 },
      layers: [{ mediaType: 'text/plain', digest: layer, size: 9 }],
      subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(subject), size: subject.length },
    });
    await ecr.send(new PutImageCommand({ repositoryName: 'api/referrers', imageManifest: sig, imageDigest: sha256(sig) }));
    const { referrers } = await ecr.send(new ListImageReferrersCommand({ repositoryName: 'api/referrers', subjectId: { imageDigest: sha256(subject) } }));
    expect(referrers).toEqual([{ digest: sha256(sig), mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/vnd.example.sig', size: sig.length, artifactStatus: 'ACTIVE' }]);
    const filtered = await ecr.send(new ListImageReferrersCommand({ repositoryName: 'api/referrers', subjectId: { imageDigest: sha256(subject) }, filter: { artifactTypes: ['application/other'] } }));
    expect(filtered.referrers).toEqual([]);
    const details = await ecr.send(new DescribeImagesCommand({ repositoryName: 'api/referrers', imageIds: [{ imageDigest: sha256(sig) }] }));
    expect(details.imageDetails![0]!.subjectManifestDigest).toBe(sha256(subject));
  });
});

