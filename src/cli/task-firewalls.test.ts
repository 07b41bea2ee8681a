import { describe, expect, it } from 'vitest';
import type { TaskFirewall } from '../agent-contract/task-firewall.js';
import { CLUSTER_MEMBERS } from '../control/clusters/activity.js';
import type { TaskRecord } from '../control/tasks/task.js';
import { COLLECTIONS } from '../elb/records.js';
import { MemoryStore } from '../store/memory-store.js';
import { authorize, createSecurityGroup } from '../vpc/security-groups.js';
import { Ec2Network } from '../vpc/network.js';
import { TaskFirewalls } from './task-firewalls.js';

const where = { accountId: '000000000000', region: 'us-east-1' };
const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/c';
const INSTANCE = 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/i';

/** A task record with what the firewalls read. */
const task = (taskId: string, groups: string[], address?: string, extra: Partial<TaskRecord> = {}): TaskRecord =>
  ({
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/c/${taskId}`,
    taskId,
    lastStatus: 'RUNNING',
    securityGroupIds: groups,
    attachments: address ? [{ type: 'ElasticNetworkInterface', details: [{ name: 'privateIPv4Address', value: address }] }] : [],
    ...extra,
  }) as unknown as TaskRecord;

describe('security groups of the local tasks', () => {
  it('applies each local task\'s firewall, again only when its groups or their members change', async () => {
    const store = new MemoryStore();
    const ec2 = new Ec2Network(store);
    const [server, client] = await ec2.run(where, async (repo) => [
      await createSecurityGroup(repo, { GroupName: 'server', Description: 'server' }),
      await createSecurityGroup(repo, { GroupName: 'client', Description: 'client' }),
    ]);
    const applied: Array<[string, TaskFirewall | undefined]> = [];
    const networks = { gateway: '10.213.0.1', list: async () => ['s1', 'c1'], setFirewall: async (id: string, fw: TaskFirewall | undefined) => (applied.push([id, fw]), true) };
    const firewalls = new TaskFirewalls({ store, ec2, networks, onError: (err) => { throw err; }, loadBalancerSource: (arn) => (arn === INSTANCE ? '10.216.0.1' : undefined) });
    const tasks = store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks);
    await tasks.put(`${CLUSTER}/s1`, task('s1', [server!.groupId], '10.213.0.5'));
    await tasks.put(`${CLUSTER}/c1`, task('c1', [client!.groupId], '10.213.0.6'));
    // On another host: a member of its groups, never given a firewall here.
    await tasks.put(`${CLUSTER}/r1`, task('r1', [client!.groupId], '10.99.0.7', { containerInstanceArn: INSTANCE }));
    await tasks.put(`${CLUSTER}/r2`, task('r2', [server!.groupId], '10.99.0.8', { containerInstanceArn: INSTANCE }));
    await tasks.put(`${CLUSTER}/gone`, task('gone', [client!.groupId], '10.213.0.8', { lastStatus: 'STOPPED' }));

    await firewalls.reconcile();
    expect(applied.map(([id]) => id).sort()).toEqual(['c1', 's1']);
    expect(applied.find(([id]) => id === 's1')![1]!.ingress).toEqual([]);
    await firewalls.reconcile();
    expect(applied).toHaveLength(2);

    await ec2.run(where, async (repo) => authorize(repo, (await repo.groups.get(server!.groupId))!, false, [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: client!.groupId }] }]));
    await firewalls.reconcile();
    // The member of another host arrives masqueraded as its host: not admitted as itself.
    expect(applied.slice(2)).toEqual([['s1', { ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['10.213.0.6/32'] }], egress: [{ protocol: 'all', fromPort: -1, toPort: -1, cidrs: ['0.0.0.0/0'] }] }]]);
    // The instance's server task admits the member on its own host, not this host's.
    const remote = await firewalls.forInstance(INSTANCE);
    expect([...remote.keys()].sort()).toEqual(['r1', 'r2'].map((id) => `arn:aws:ecs:us-east-1:000000000000:task/c/${id}`));
    expect(remote.get(`arn:aws:ecs:us-east-1:000000000000:task/c/r2`)!.ingress).toEqual([{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['10.99.0.7/32'] }]);

    // A load balancer in the client group: the tasks see it come from the gateway.
    await store.collection(COLLECTIONS.loadBalancers).put('lb', { arn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/1', accountId: where.accountId, region: where.region, securityGroups: [client!.groupId] });
    await firewalls.reconcile();
    expect(applied.at(-1)![1]!.ingress[0]!.cidrs).toEqual(['10.213.0.1/32', '10.213.0.6/32']);
    expect(await firewalls.forTask(task('new', [server!.groupId]))).toEqual(applied.at(-1)![1]);
    // On the instance, the load balancer arrives from this host's address on the route to it.
    expect((await firewalls.forInstance(INSTANCE)).get(`arn:aws:ecs:us-east-1:000000000000:task/c/r2`)!.ingress[0]!.cidrs).toEqual(['10.216.0.1/32', '10.99.0.7/32']);
    expect(await firewalls.forTask(task('r3', [server!.groupId], undefined, { containerInstanceArn: INSTANCE }))).toEqual((await firewalls.forInstance(INSTANCE)).get(`arn:aws:ecs:us-east-1:000000000000:task/c/r2`));
  });
});
