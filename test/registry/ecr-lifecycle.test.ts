import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DescribeImagesCommand,
  GetLifecyclePolicyCommand,
  GetLifecyclePolicyPreviewCommand,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  StartLifecyclePolicyPreviewCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRegistry } from './harness.js';
import { imageManifest, pushBlob, sha256 } from './v2-client.js';

const DAY = 24 * 60 * 60 * 1000;
/**
 * The registry's clock, which the test sets back to push images "days ago". It is the real time
 * otherwise, since the front door (and so the API's request time) runs on the real clock.
 */
let back = 0;
const reg = useTestRegistry({ clock: () => Date.now() - back });
let ecr: ECRClient;

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected the call to fail');
}

const rule = (rulePriority: number, selection: Record<string, unknown>) => ({ rulePriority, selection, action: { type: 'expire' } });
const policy = (...rules: unknown[]) => JSON.stringify({ rules });

/** Pushes one image per (tags, age in days) in order, oldest first; returns their digests. */
async function pushImages(repo: string, images: Array<{ tags: string[]; ageDays: number }>): Promise<string[]> {
  const digests: string[] = [];
  for (const [i, image] of images.entries()) {
    back = image.ageDays * DAY;
    const configBytes = JSON.stringify({ os: 'linux', architecture: 'amd64', i });
    const config = await pushBlob(reg(), repo, configBytes);
    const manifest = imageManifest({ digest: config, size: configBytes.length }, []);
    if (image.tags.length === 0) await ecr.send(new PutImageCommand({ repositoryName: repo, imageManifest: manifest, imageDigest: sha256(manifest) }));
    for (const tag of image.tags) await ecr.send(new PutImageCommand({ repositoryName: repo, imageManifest: manifest, imageTag: tag }));
    digests.push(sha256(manifest));
  }
  back = 0;
  return digests;
}

beforeAll(async () => {
  ecr = reg().ecr();
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'life/app' }));
});

describe('lifecycle policies', () => {
  it('validates policies as AWS does', async () => {
    const cases: Array<[string, string]> = [
      ['{not json', 'Could not map policyString into LifecyclePolicy.'],
      [JSON.stringify({ rulez: [] }), 'object has missing required properties (["rules"])'],
      [policy(rule(1, { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 })), 'Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.'],
      [policy(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }), rule(2, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 })), 'Rule for tagStatus=ANY must have the lowest priority.'],
      [policy(rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 1 })), 'countUnit must be specified when countType is sinceImagePushed'],
      [policy(rule(0, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 })), 'numeric instance is lower than the required minimum (minimum: 1, found: 0)'],
      [policy(rule(1, { tagStatus: 'tagged', tagPatternList: ['a*b*c*d*e*f'], countType: 'imageCountMoreThan', countNumber: 1 })), 'more than 4 wildcards'],
    ];
    for (const [text, message] of cases) {
      const padded = text.length < 100 ? text + ' '.repeat(100 - text.length) : text;
      const err = await failure(ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'life/app', lifecyclePolicyText: padded })));
      expect(err.name).toBe('InvalidParameterException');
      expect(err.message).toContain("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ");
      expect(err.message).toContain(message);
    }
    expect((await failure(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'life/app' })))).name).toBe('LifecyclePolicyNotFoundException');
  });

  it('previews and enforces a policy: rule priority, one rule per image, oldest first', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'life/enforced' }));
    const digests = await pushImages('life/enforced', [
      { tags: ['prod-1'], ageDays: 50 },
      { tags: ['prod-2'], ageDays: 40 },
      { tags: ['dev-1'], ageDays: 30 },
      { tags: [], ageDays: 20 },
      { tags: [], ageDays: 10 },
      { tags: ['dev-2'], ageDays: 1 },
    ]);
    const text = policy(
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(3, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 25 }),
    );
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'life/enforced', lifecyclePolicyText: text }));
    expect((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'life/enforced' }))).lifecyclePolicyText).toBe(text);
    const started = await ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'life/enforced' }));
    expect(started.lifecyclePolicyText).toBe(text);
    const preview = await ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life/enforced' }));
    expect(preview.status).toBe('COMPLETE');
    // prod-1 loses to the newer prod-2 (rule 1); the older untagged image to rule 2; dev-1 is older
    // than 25 days (rule 3); prod-2 is older too, but rule 1 selected it, so rule 3 cannot expire it.
    expect(preview.previewResults!.map((r) => [r.imageDigest, r.appliedRulePriority])).toEqual([
      [digests[0], 1],
      [digests[2], 3],
      [digests[3], 2],
    ]);
    expect(preview.summary).toEqual({ expiringImageTotalCount: 3 });
    expect(preview.previewResults![0]).toMatchObject({ imageTags: ['prod-1'], action: { type: 'EXPIRE' } });

    const deleted = await reg().registry.lifecycle.applyAll('000000000000', new Date());
    expect(deleted).toBe(3);
    const left = await ecr.send(new DescribeImagesCommand({ repositoryName: 'life/enforced' }));
    expect(left.imageDetails!.map((d) => d.imageDigest).sort()).toEqual([digests[1], digests[4], digests[5]].sort());
    expect((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'life/enforced' }))).lastEvaluatedAt).toBeInstanceOf(Date);

    await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'life/enforced' }));
    expect((await failure(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'life/enforced' })))).name).toBe('LifecyclePolicyNotFoundException');
  });

  it('previews a policy given in the call without storing it', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'life/preview' }));
    expect((await failure(ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life/preview' })))).name).toBe('LifecyclePolicyPreviewNotFoundException');
    expect((await failure(ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'life/preview' })))).name).toBe('LifecyclePolicyNotFoundException');
    const digests = await pushImages('life/preview', [{ tags: ['a1'], ageDays: 3 }, { tags: ['a2'], ageDays: 2 }, { tags: ['a3'], ageDays: 1 }]);
    const text = policy(rule(1, { tagStatus: 'tagged', tagPatternList: ['a*'], countType: 'imageCountMoreThan', countNumber: 2 }));
    await ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'life/preview', lifecyclePolicyText: text }));
    const preview = await ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life/preview' }));
    expect(preview.previewResults!.map((r) => r.imageDigest)).toEqual([digests[0]]);
    expect((await failure(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'life/preview' })))).name).toBe('LifecyclePolicyNotFoundException');
  });
});
