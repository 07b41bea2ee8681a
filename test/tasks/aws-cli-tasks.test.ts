import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from '../support/aws-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { startImageFixture, type ImageFixture } from './task-fixture.js';
import { defaultSecurityGroup, defaultSubnets } from '../support/default-vpc.js';

const env = usePlatform();
let fixture: ImageFixture;
const home = mkdtempSync(join(tmpdir(), 'minato-cli-tasks-'));

beforeAll(async () => {
  fixture = await startImageFixture();
});
afterAll(async () => {
  await fixture?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** The AWS CLI against the platform; parsed JSON output (a failure fails the test). */
async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const res = await awsCli(env.platform().endpoint, home, args);
  if (res.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
  return res.stdout.trim() ? (JSON.parse(res.stdout) as Record<string, unknown>) : {};
}

describe('the AWS CLI runs and waits for tasks', () => {
  it('run-task, wait tasks-running, stop-task, wait tasks-stopped, describe-tasks', async () => {
    await aws('ecs', 'create-cluster', '--cluster-name', 'cli');
    await aws(
      'ecs', 'register-task-definition', '--family', 'cli-sleep', '--network-mode', 'awsvpc', '--requires-compatibilities', 'FARGATE',
      '--cpu', '256', '--memory', '512',
      '--container-definitions', JSON.stringify([{ name: 'app', image: fixture.image, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] }]),
    );
    const started = (await aws(
      'ecs', 'run-task', '--cluster', 'cli', '--task-definition', 'cli-sleep', '--launch-type', 'FARGATE',
      '--network-configuration', `awsvpcConfiguration={subnets=[${defaultSubnets()[0]}],securityGroups=[${defaultSecurityGroup()}]}`,
    )) as { tasks: Array<{ taskArn: string }> };
    const arn = started.tasks[0]!.taskArn;
    await aws('ecs', 'wait', 'tasks-running', '--cluster', 'cli', '--tasks', arn);
    // RUNNING means the process started; give the shell a moment to install its TERM trap.
    await new Promise((r) => setTimeout(r, 1000));
    await aws('ecs', 'stop-task', '--cluster', 'cli', '--task', arn, '--reason', 'cli says stop');
    await aws('ecs', 'wait', 'tasks-stopped', '--cluster', 'cli', '--tasks', arn);
    const described = (await aws('ecs', 'describe-tasks', '--cluster', 'cli', '--tasks', arn)) as {
      tasks: Array<{ lastStatus: string; stoppedReason: string; containers: Array<{ exitCode: number }> }>;
    };
    expect(described.tasks[0]).toMatchObject({ lastStatus: 'STOPPED', stoppedReason: 'cli says stop' });
    expect(described.tasks[0]!.containers[0]!.exitCode).toBe(0);
  });
});
