import {
  ClusterContainsTasksException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  InvalidParameterException,
  ListClustersCommand,
  paginateListClusters,
  PutClusterCapacityProvidersCommand,
  UpdateClusterCommand,
  UpdateClusterSettingsCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_MEMBERS } from '../src/control/clusters/activity.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { usePlatform } from './support/platform.js';
import { join } from 'node:path';

const env = usePlatform();
let ecs: ECSClient;
beforeAll(() => {
  ecs = env.ecs();
});

describe('CreateCluster and DescribeClusters', () => {
  it('creates a cluster with tags and settings and describes it with include', async () => {
    const { cluster } = await ecs.send(
      new CreateClusterCommand({
        clusterName: 'web',
        tags: [{ key: 'team', value: 'blue' }],
        settings: [{ name: 'containerInsights', value: 'enabled' }],
      }),
    );
    expect(cluster).toMatchObject({
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/web',
      clusterName: 'web',
      status: 'ACTIVE',
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      registeredContainerInstancesCount: 0,
      settings: [{ name: 'containerInsights', value: 'enabled' }],
    });

    const plain = await ecs.send(new DescribeClustersCommand({ clusters: ['web'] }));
    expect(plain.clusters?.[0]?.tags).toEqual([]);
    expect(plain.clusters?.[0]?.settings).toBeUndefined();
    expect(plain.failures).toEqual([]);

    const full = await ecs.send(
      new DescribeClustersCommand({ clusters: [cluster!.clusterArn!], include: ['TAGS', 'SETTINGS', 'STATISTICS'] }),
    );
    const described = full.clusters?.[0];
    expect(described?.tags).toEqual([{ key: 'team', value: 'blue' }]);
    expect(described?.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
    expect(described?.statistics).toContainEqual({ name: 'runningFargateTasksCount', value: '0' });
  });

  it('returns the existing cluster when the same name is created again', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'again', tags: [{ key: 'a', value: '1' }] }));
    const second = await ecs.send(new CreateClusterCommand({ clusterName: 'again' }));
    expect(second.cluster?.tags).toEqual([{ key: 'a', value: '1' }]);
  });

  it('reports names that match no cluster as MISSING failures, by ARN', async () => {
    const res = await ecs.send(new DescribeClustersCommand({ clusters: ['web', 'ghost'] }));
    expect(res.clusters?.map((c) => c.clusterName)).toEqual(['web']);
    expect(res.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/ghost', reason: 'MISSING' }]);
  });

  it('describes the default cluster when none is named', async () => {
    const before = await ecs.send(new DescribeClustersCommand({}));
    expect(before.failures?.[0]?.reason).toBe('MISSING');
    await ecs.send(new CreateClusterCommand({}));
    const after = await ecs.send(new DescribeClustersCommand({}));
    expect(after.clusters?.[0]?.clusterName).toBe('default');
  });

  it('keeps clusters apart per region', async () => {
    const tokyo = env.platform().ecs('ap-northeast-1');
    const { cluster } = await tokyo.send(new CreateClusterCommand({ clusterName: 'web' }));
    expect(cluster?.clusterArn).toBe('arn:aws:ecs:ap-northeast-1:000000000000:cluster/web');
    const list = await tokyo.send(new ListClustersCommand({}));
    expect(list.clusterArns).toEqual(['arn:aws:ecs:ap-northeast-1:000000000000:cluster/web']);
    tokyo.destroy();
  });

  it('rejects an invalid cluster name and stores nothing', async () => {
    await expect(ecs.send(new CreateClusterCommand({ clusterName: 'bad name!' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    const res = await ecs.send(new DescribeClustersCommand({ clusters: ['bad name!'] }));
    expect(res.clusters).toEqual([]);
  });

  it('rejects more than 50 tags and a reserved tag key', async () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expect(ecs.send(new CreateClusterCommand({ clusterName: 'many', tags }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(
      ecs.send(new CreateClusterCommand({ clusterName: 'reserved', tags: [{ key: 'aws:x', value: 'v' }] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('ListClusters', () => {
  it('pages through every ACTIVE cluster with opaque tokens', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `page-${i}`);
    for (const clusterName of names) await ecs.send(new CreateClusterCommand({ clusterName }));
    const seen: string[] = [];
    for await (const page of paginateListClusters({ client: ecs, pageSize: 3 }, {})) {
      expect(page.clusterArns!.length).toBeLessThanOrEqual(3);
      seen.push(...page.clusterArns!);
    }
    for (const name of names) expect(seen).toContain(`arn:aws:ecs:us-east-1:000000000000:cluster/${name}`);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('enforces maxResults between 1 and 100 and refuses forged tokens', async () => {
    await expect(ecs.send(new ListClustersCommand({ maxResults: 101 }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(ecs.send(new ListClustersCommand({ maxResults: 0 }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(ecs.send(new ListClustersCommand({ nextToken: 'forged' }))).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('UpdateCluster, UpdateClusterSettings, PutClusterCapacityProviders', () => {
  it('updates settings and configuration', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'upd' }));
    const settings = await ecs.send(
      new UpdateClusterSettingsCommand({ cluster: 'upd', settings: [{ name: 'containerInsights', value: 'enhanced' }] }),
    );
    expect(settings.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);
    const updated = await ecs.send(
      new UpdateClusterCommand({
        cluster: 'upd',
        configuration: { executeCommandConfiguration: { logging: 'DEFAULT' } },
      }),
    );
    expect(updated.cluster?.configuration).toEqual({ executeCommandConfiguration: { logging: 'DEFAULT' } });
    await expect(
      ecs.send(new UpdateClusterSettingsCommand({ cluster: 'upd', settings: [{ name: 'containerInsights', value: 'loud' }] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      ecs.send(new UpdateClusterCommand({ cluster: 'nowhere', settings: [] })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  it('stores capacity providers and the default strategy, and checks the strategy', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'cap' }));
    const res = await ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: 'cap',
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        defaultCapacityProviderStrategy: [
          { capacityProvider: 'FARGATE', base: 1, weight: 1 },
          { capacityProvider: 'FARGATE_SPOT', weight: 3 },
        ],
      }),
    );
    expect(res.cluster?.capacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
    expect(res.cluster?.defaultCapacityProviderStrategy).toHaveLength(2);
    await expect(
      ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: 'cap',
          capacityProviders: ['FARGATE'],
          defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const after = await ecs.send(new DescribeClustersCommand({ clusters: ['cap'] }));
    expect(after.clusters?.[0]?.capacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
  });
});

describe('DeleteCluster', () => {
  it('deletes a cluster, which then describes as INACTIVE and is no longer listed', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'gone' }));
    const { cluster } = await ecs.send(new DeleteClusterCommand({ cluster: 'gone' }));
    expect(cluster?.status).toBe('INACTIVE');
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['gone'] }));
    expect(described.clusters?.[0]?.status).toBe('INACTIVE');
    const list = await ecs.send(new ListClustersCommand({}));
    expect(list.clusterArns).not.toContain(cluster?.clusterArn);
    await expect(ecs.send(new DeleteClusterCommand({ cluster: 'gone' }))).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  it('is refused while the cluster has active tasks', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'busy' }));
    const arn = 'arn:aws:ecs:us-east-1:000000000000:cluster/busy';
    // The task runner records tasks in this collection; a second connection writes one as it would.
    const store = new SqliteStore(join(env.platform().config.dataDir, 'minato.db'));
    await store.collection(CLUSTER_MEMBERS.tasks).put(`${arn}/t1`, { lastStatus: 'RUNNING', launchType: 'FARGATE' });
    await expect(ecs.send(new DeleteClusterCommand({ cluster: 'busy' }))).rejects.toBeInstanceOf(
      ClusterContainsTasksException,
    );
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['busy'], include: ['STATISTICS'] }));
    expect(described.clusters?.[0]?.status).toBe('ACTIVE');
    expect(described.clusters?.[0]?.runningTasksCount).toBe(1);
    expect(described.clusters?.[0]?.statistics).toContainEqual({ name: 'runningFargateTasksCount', value: '1' });
    await store.collection(CLUSTER_MEMBERS.tasks).delete(`${arn}/t1`);
    await store.close();
    await ecs.send(new DeleteClusterCommand({ cluster: 'busy' }));
  });
});
