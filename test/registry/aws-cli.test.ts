import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, type BuiltImage } from '../support/oci-image.js';
import { useTestRegistry } from './harness.js';
import { aws, skopeo, skopeoWithInput } from './tools.js';
import { sha256 } from './v2-client.js';

const reg = useTestRegistry();
let work: string;
let image: BuiltImage;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'minato-ecr-cli-'));
  image = await buildImage({ files: { '/cli.txt': 'from the cli test' } });
});
afterAll(async () => {
  await image?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

const ecr = async (...args: string[]) => {
  const res = await aws(work, reg().endpoint, 'ecr', ...args);
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(res.stdout) as Record<string, unknown>;
  } catch {
    json = undefined; // get-login-password prints plain text
  }
  return { ...res, json };
};

describe('aws ecr', () => {
  it('creates, describes and refuses duplicate repositories', async () => {
    const created = await ecr('create-repository', '--repository-name', 'cli/app', '--image-tag-mutability', 'IMMUTABLE', '--image-scanning-configuration', 'scanOnPush=true');
    expect(created.code).toBe(0);
    expect(created.json!.repository).toMatchObject({ repositoryName: 'cli/app', repositoryUri: '000000000000.dkr.ecr.us-east-1.amazonaws.com/cli/app', imageTagMutability: 'IMMUTABLE' });
    const duplicate = await ecr('create-repository', '--repository-name', 'cli/app');
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('RepositoryAlreadyExistsException');
    const described = await ecr('describe-repositories', '--repository-names', 'cli/app');
    expect((described.json!.repositories as unknown[]).length).toBe(1);
  });

  it('logs skopeo in with get-login-password and pushes; the image is visible to the API', async () => {
    const password = await ecr('get-login-password');
    expect(password.code).toBe(0);
    const login = await skopeoWithInput(work, password.stdout.trim(), 'login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', reg().host);
    expect(login.stderr).toBe('');
    const copied = await skopeo(work, 'copy', '--dest-tls-verify=false', `oci:${image.dir}:latest`, `docker://${reg().host}/cli/app:v1`);
    expect(copied.code).toBe(0);
    const images = await ecr('describe-images', '--repository-name', 'cli/app');
    expect(images.json!.imageDetails).toEqual([expect.objectContaining({ imageDigest: image.manifestDigest, imageTags: ['v1'] })]);
    const listed = await ecr('list-images', '--repository-name', 'cli/app', '--filter', 'tagStatus=TAGGED');
    expect(listed.json!.imageIds).toEqual([{ imageDigest: image.manifestDigest, imageTag: 'v1' }]);
  });

  it('gets an image with batch-get-image and puts it back under another tag; immutable tags stay', async () => {
    const got = await ecr('batch-get-image', '--repository-name', 'cli/app', '--image-ids', 'imageTag=v1');
    const manifest = (got.json!.images as Array<{ imageManifest: string }>)[0]!.imageManifest;
    expect(sha256(manifest)).toBe(image.manifestDigest);
    const file = join(work, 'manifest.json');
    writeFileSync(file, manifest);
    const put = await ecr('put-image', '--repository-name', 'cli/app', '--image-tag', 'v2', '--image-manifest', `file://${file}`);
    expect(put.code).toBe(0);
    const moved = await ecr('put-image', '--repository-name', 'cli/app', '--image-tag', 'v1', '--image-manifest', `file://${file}`);
    expect(moved.code).not.toBe(0);
    expect(moved.stderr).toMatch(/ImageAlreadyExistsException|ImageTagAlreadyExistsException/);
  });

  it('previews a lifecycle policy and deletes a repository with --force', async () => {
    const policy = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }] });
    expect((await ecr('put-lifecycle-policy', '--repository-name', 'cli/app', '--lifecycle-policy-text', policy)).code).toBe(0);
    expect((await ecr('start-lifecycle-policy-preview', '--repository-name', 'cli/app')).code).toBe(0);
    const preview = await ecr('get-lifecycle-policy-preview', '--repository-name', 'cli/app');
    expect(preview.json).toMatchObject({ status: 'COMPLETE', previewResults: [], summary: { expiringImageTotalCount: 0 } });
    const refused = await ecr('delete-repository', '--repository-name', 'cli/app');
    expect(refused.stderr).toContain('RepositoryNotEmptyException');
    expect((await ecr('delete-repository', '--repository-name', 'cli/app', '--force')).code).toBe(0);
    const gone = await ecr('describe-repositories', '--repository-names', 'cli/app');
    expect(gone.stderr).toContain('RepositoryNotFoundException');
  });
});
