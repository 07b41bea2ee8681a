import { Agent } from 'node:http';
import { CreateServiceCommand, DeleteServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  ModifyListenerCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { NETWORK, registerFargate, waitForService } from '../services/service-fixture.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { elbClient, forwardTo, get, SUBNETS, targetGroup, targetHealth, until, webContainer } from './traffic-fixture.js';
import { defaultSecurityGroup } from '../support/default-vpc.js';

const env = usePlatform();
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let fixture: ImageFixture;
const C = 'rules';

beforeAll(async () => {
  ecs = env.ecs();
  elb = elbClient(env.platform());
  fixture = await startImageFixture();
}, 120_000);
afterAll(async () => {
  elb?.destroy();
  await fixture?.stop();
});


/** A service of `count` web tasks registered in `tgArn`, with every target healthy. */
async function serviceIn(name: string, tgArn: string, count: number): Promise<void> {
  const taskDefinition = await registerFargate(ecs, C, name, [webContainer(fixture.image, name)]);
  await ecs.send(
    new CreateServiceCommand({
      cluster: C, serviceName: name, taskDefinition, desiredCount: count, launchType: 'FARGATE', networkConfiguration: NETWORK,
      loadBalancers: [{ targetGroupArn: tgArn, containerName: 'web', containerPort: 8080 }],
    }),
  );
  await waitForService(ecs, C, name, (s) => s.runningCount === count, 120_000);
  await until(`${name} healthy`, () => targetHealth(elb, tgArn), (t) => t.length === count && t.every((d) => d.TargetHealth?.State === 'healthy'));
}

describe('listener rules split traffic between two services', () => {
  it('routes by path and host, answers fixed responses, then splits ~80/20 by weight', async () => {
    const webTg = await targetGroup(elb, 'rules-web');
    const apiTg = await targetGroup(elb, 'rules-api');
    const { LoadBalancers } = await elb.send(new CreateLoadBalancerCommand({ Name: 'rules', Subnets: SUBNETS }));
    const dns = LoadBalancers![0]!.DNSName!;
    const { Listeners } = await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: LoadBalancers![0]!.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: forwardTo(webTg) }),
    );
    const listenerArn = Listeners![0]!.ListenerArn!;
    await elb.send(
      new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }], Actions: forwardTo(apiTg) }),
    );
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 5,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['admin.*'] } }],
        Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'admins only' } }],
      }),
    );
    await Promise.all([serviceIn('web', webTg, 2), serviceIn('api', apiTg, 1)]);

    const agent = new Agent({ keepAlive: true });
    for (let i = 0; i < 10; i++) {
      expect((await get(`http://${dns}/`, agent)).body).toMatch(/^web 10\./);
      expect((await get(`http://${dns}/api/`, agent)).body).toMatch(/^api 10\./);
    }
    expect(await get(`http://${dns}/api/`, agent, { host: 'admin.example.com' })).toEqual({ status: 403, body: 'admins only' });

    await elb.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: webTg, Weight: 80 }, { TargetGroupArn: apiTg, Weight: 20 }] } }],
      }),
    );
    // The new weights apply to requests after ModifyListener has answered.
    const counts = { web: 0, api: 0 };
    for (let i = 0; i < 500; i++) {
      const { status, body } = await get(`http://${dns}/`, agent);
      expect(status).toBe(200);
      counts[body.startsWith('web') ? 'web' : 'api']++;
    }
    agent.destroy();
    expect(counts.web / 500).toBeGreaterThan(0.7);
    expect(counts.web / 500).toBeLessThan(0.9);
    await Promise.all(['web', 'api'].map((s) => ecs.send(new DeleteServiceCommand({ cluster: C, service: s, force: true }))));
  }, 300_000);

  it('forwards TCP through a network load balancer to a service', async () => {
    // The load balancer is in the tasks' (default) group, which admits its members.
    const tg = await targetGroup(elb, 'rules-tcp', { protocol: 'TCP' });
    const { LoadBalancers } = await elb.send(new CreateLoadBalancerCommand({ Name: 'rules-nlb', Subnets: SUBNETS, Type: 'network', SecurityGroups: [defaultSecurityGroup()] }));
    const nlb = LoadBalancers![0]!;
    expect(nlb.Type).toBe('network');
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: nlb.LoadBalancerArn, Protocol: 'TCP', Port: 9000, DefaultActions: forwardTo(tg) }));
    await serviceIn('tcp', tg, 2);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      // A fresh connection each time: an NLB balances connections, not requests.
      const { status, body } = await get(`http://${nlb.DNSName}:9000/`, new Agent({ keepAlive: false }));
      expect(status).toBe(200);
      seen.add(body.trim());
    }
    expect(seen.size).toBe(2);
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'tcp', force: true }));
  }, 240_000);
});
