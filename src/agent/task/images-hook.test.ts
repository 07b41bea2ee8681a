import { describe, expect, it } from 'vitest';
import { pullImages, registryAuth } from './images-hook.js';
import { fakeContext } from './task-run.fixtures.js';

describe('pullImages', () => {
  it('pulls an image once for containers that share it and its credentials, and reports digests', async () => {
    const { ctx, reports, deps } = fakeContext([{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }]);
    const pulled: string[] = [];
    const pull = deps.images.pull;
    deps.images.pull = (image, options) => (pulled.push(image), pull(image, options));
    await pullImages(ctx, [...ctx.containers.values()]);
    expect(pulled).toEqual(['busybox']);
    expect(reports[0]).toEqual({ pullStartedAt: ctx.timestamps.pullStartedAt });
    expect(reports[1]).toMatchObject({ pullStoppedAt: ctx.timestamps.pullStoppedAt, containers: { a: { imageDigest: expect.stringMatching(/^sha256:/) }, b: {} } });
  });

  it('reports nothing when a restarted run fetches its images again', async () => {
    const { ctx, reports } = fakeContext([{ name: 'a', image: 'busybox' }]);
    await pullImages(ctx, [...ctx.containers.values()], false);
    expect(reports).toEqual([]);
    expect(ctx.containers.get('a')!.image).toBeDefined();
    expect(ctx.timestamps).toEqual({});
  });

  it('reports the failed container and throws CannotPullContainerError', async () => {
    const { ctx, reports, deps } = fakeContext([{ name: 'a', image: 'nope' }]);
    deps.images.pull = async () => {
      throw new Error('connection refused');
    };
    await expect(pullImages(ctx, [...ctx.containers.values()])).rejects.toThrow(/^CannotPullContainerError: connection refused$/);
    expect(reports.at(-1)).toEqual({ containers: { a: { reason: 'CannotPullContainerError: connection refused' } } });
  });
});

describe('registryAuth', () => {
  it('reads username and password from the secret', async () => {
    const { ctx, deps } = fakeContext([]);
    deps.secrets = async () => JSON.stringify({ username: 'u', password: 'p' });
    expect(await registryAuth(ctx, 'arn:secret')).toEqual({ username: 'u', password: 'p' });
    expect(await registryAuth(ctx, undefined)).toBeUndefined();
  });

  it('fails with ResourceInitializationError when the secret is missing, not JSON or incomplete', async () => {
    const { ctx, deps } = fakeContext([]);
    await expect(registryAuth(ctx, 's')).rejects.toThrow('ResourceInitializationError: unable to pull secrets or registry auth: no secret store is configured');
    deps.secrets = async () => 'not json';
    await expect(registryAuth(ctx, 's')).rejects.toThrow('secret s is not valid JSON');
    deps.secrets = async () => JSON.stringify({ username: 'u' });
    await expect(registryAuth(ctx, 's')).rejects.toThrow('secret s must have username and password keys');
    deps.secrets = async () => {
      throw new Error('secret not found');
    };
    await expect(registryAuth(ctx, 's')).rejects.toThrow('ResourceInitializationError: unable to pull secrets or registry auth: secret not found');
  });
});
