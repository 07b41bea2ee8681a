import { describe, expect, it } from 'vitest';
import type { RunnerImage } from '../task/ports.js';
import { controlPlaneImages } from './control-plane-images.js';

function recorder() {
  const pulls: Array<{ image: string; options: unknown }> = [];
  const store = {
    pull: async (image: string, options: unknown = {}) => {
      pulls.push({ image, options });
      return { manifestDigest: 'sha256:x', config: {}, layerDirs: [] } as RunnerImage;
    },
  };
  return { store, pulls };
}

describe('controlPlaneImages', () => {
  const registry = {
    endpoints: ['http://10.9.8.1:4566'],
    current: () => 'http://10.9.8.1:4566',
    accountId: () => '123456789012',
    auth: (region: string) => ({ username: 'AWS', password: `tok-${region}`, expiresAt: 0 }),
  };

  it('pulls own-registry images from the endpoint with the credentials of their region', async () => {
    const { store, pulls } = recorder();
    const images = controlPlaneImages(store, registry);
    await images.pull('10.9.8.1:4566/team/app:1', { region: 'eu-west-1' });
    await images.pull('123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/team/app:2');
    expect(pulls).toEqual([
      { image: '10.9.8.1:4566/team/app:1', options: { insecure: true, auth: { username: 'AWS', password: 'tok-eu-west-1' } } },
      { image: '10.9.8.1:4566/team/app:2', options: { insecure: true, auth: { username: 'AWS', password: 'tok-ap-northeast-1' } } },
    ]);
  });

  it('pulls other images, and images with their own credentials, as given', async () => {
    const { store, pulls } = recorder();
    const images = controlPlaneImages(store, registry);
    await images.pull('999999999999.dkr.ecr.us-east-1.amazonaws.com/x:1');
    await images.pull('10.9.8.1:4566/team/app:1', { auth: { username: 'u', password: 'p' } });
    expect(pulls).toEqual([
      { image: '999999999999.dkr.ecr.us-east-1.amazonaws.com/x:1', options: {} },
      { image: '10.9.8.1:4566/team/app:1', options: { auth: { username: 'u', password: 'p' } } },
    ]);
  });

  it('pulls from the replica the agent talks to now, whichever endpoint names the image', async () => {
    const { store, pulls } = recorder();
    let current = 'http://10.9.8.1:4566';
    const images = controlPlaneImages(store, { ...registry, endpoints: ['http://10.9.8.1:4566', 'http://10.9.8.2:4566'], current: () => current });
    await images.pull('10.9.8.1:4566/team/app:1');
    current = 'http://10.9.8.2:4566';
    await images.pull('10.9.8.1:4566/team/app:1');
    await images.pull('10.9.8.2:4566/team/app:2');
    expect(pulls.map((p) => p.image)).toEqual(['10.9.8.1:4566/team/app:1', '10.9.8.2:4566/team/app:1', '10.9.8.2:4566/team/app:2']);
  });
});
