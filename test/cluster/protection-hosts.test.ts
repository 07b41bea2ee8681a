import { CreateServiceCommand, GetTaskProtectionCommand, UpdateServiceCommand, UpdateTaskProtectionCommand } from '@aws-sdk/client-ecs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveTasks, messagesOf, waitForService } from '../services/service-fixture.js';
import { NETWORK, registerEc2, sleeper, startHostsFixture, type HostsFixture } from './hosts-fixture.js';

let f: HostsFixture;

beforeAll(async () => {
  f = await startHostsFixture('prot', [['--cpu', '2048', '--memory', '1024']]);
}, 180_000);
afterAll(async () => {
  await f?.dispose();
}, 60_000);

/** Protects its own task for an hour through the agent endpoint as soon as it starts, then runs until SIGTERM. */
const SELF_PROTECTING = [
  'trap "exit 0" TERM',
  'body=\'{"ProtectionEnabled":true,"ExpiresInMinutes":60}\'',
  'hostport=${ECS_AGENT_URI#http://}; hostport=${hostport%%/*}',
  'path=/${ECS_AGENT_URI#http://*/}',
  'printf "PUT %s/task-protection/v1/state HTTP/1.0\\r\\nHost: %s\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\n\\r\\n%s" "$path" "$hostport" "${#body}" "$body" | timeout 10 nc ${hostport%:*} ${hostport#*:}',
  'while true; do sleep 1 & wait $!; done',
].join('\n');

describe('task protection on an agent of another host', () => {
  it('a task protects itself through its agent, and a deployment waits for it until the protection is removed', async () => {
    const worker = await registerEc2(f.ecs, 'prot-worker', sleeper(f.image, { command: ['sh', '-c', SELF_PROTECTING] }));
    const plain = await registerEc2(f.ecs, 'prot-plain', sleeper(f.image));
    await f.ecs.send(new CreateServiceCommand({ cluster: f.cluster, serviceName: 'jobs', taskDefinition: worker.taskDefinitionArn!, desiredCount: 1, launchType: 'EC2', networkConfiguration: NETWORK }));
    await waitForService(f.ecs, f.cluster, 'jobs', (s) => s.runningCount === 1, 90_000);
    const [task] = await liveTasks(f.ecs, f.cluster, 'jobs');
    const arn = task!.taskArn!;
    expect(task!.containerInstanceArn).toBeDefined();

    // The PUT went from the container to its agent, and over the protocol to the control plane.
    let protection;
    for (let i = 0; i < 100; i++) {
      protection = (await f.ecs.send(new GetTaskProtectionCommand({ cluster: f.cluster, tasks: [arn] }))).protectedTasks?.[0];
      if (protection?.protectionEnabled) break;
      await sleep(200);
    }
    expect(protection).toMatchObject({ taskArn: arn, protectionEnabled: true });
    expect(Math.abs(protection!.expirationDate!.getTime() - (Date.now() + 60 * 60_000))).toBeLessThan(60_000);

    // A new deployment starts its task but leaves the protected one running: the rollout waits.
    await f.ecs.send(new UpdateServiceCommand({ cluster: f.cluster, service: 'jobs', taskDefinition: plain.taskDefinitionArn! }));
    const waiting = await waitForService(f.ecs, f.cluster, 'jobs', (s) => messagesOf(s).includes('(service jobs) was unable to scale in due to (reason 1 tasks under protection).') && s.runningCount === 2, 90_000);
    expect(waiting.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState).toBe('IN_PROGRESS');
    expect((await liveTasks(f.ecs, f.cluster, 'jobs')).find((t) => t.taskArn === arn)?.desiredStatus).toBe('RUNNING');

    // Protection removed: the old task goes and the rollout completes.
    await f.ecs.send(new UpdateTaskProtectionCommand({ cluster: f.cluster, tasks: [arn], protectionEnabled: false }));
    const done = await waitForService(f.ecs, f.cluster, 'jobs', (s) => s.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED' && s.runningCount === 1, 90_000);
    expect(done.deployments?.[0]?.taskDefinition).toBe(plain.taskDefinitionArn);
    await f.ecs.send(new UpdateServiceCommand({ cluster: f.cluster, service: 'jobs', desiredCount: 0 }));
    await waitForService(f.ecs, f.cluster, 'jobs', (s) => s.runningCount === 0 && s.pendingCount === 0, 60_000);
  }, 300_000);
});
