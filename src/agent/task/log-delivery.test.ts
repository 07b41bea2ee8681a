import type { LogConfiguration } from '@aws-sdk/client-ecs';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogTarget } from '../../agent-contract/ports.js';
import { followLogs, logDelivery } from './log-delivery.js';
import { fakeContext } from './task-run.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-logdelivery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A context whose log sink records what it is given. */
function recording(logConfiguration?: LogConfiguration) {
  const f = fakeContext([{ name: 'app', image: 'busybox', ...(logConfiguration && { logConfiguration }) }], dir);
  const sent: Array<{ target: LogTarget; events: Array<{ timestamp: number; message: string }> }> = [];
  f.deps.logs = async (target, events) => void sent.push({ target, events });
  return { ...f, sent, app: f.ctx.containers.get('app')! };
}

const line = { timestamp: 1_700_000_000_000, stream: 'stdout' as const, message: 'hello' };

describe('logDelivery', () => {
  it('delivers nothing for a container without a log driver the platform implements', () => {
    const { ctx, app } = recording();
    expect(logDelivery(ctx, app)).toBeUndefined();
  });

  it('sends awslogs lines to the group and the stream ECS names', async () => {
    const { ctx, app, sent } = recording({ logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-stream-prefix': 'web' } });
    await logDelivery(ctx, app)!([line]);
    const plain = recording({ logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'eu-west-1', 'awslogs-create-group': 'true' } });
    await logDelivery(plain.ctx, plain.app)!([line]);
    expect(sent).toEqual([{ target: { region: 'us-east-1', group: 'g', stream: `web/app/${ctx.spec.taskId}`, createGroup: false }, events: [{ timestamp: line.timestamp, message: 'hello' }] }]);
    expect(plain.sent[0]!.target).toEqual({ region: 'eu-west-1', group: 'g', stream: `${ctx.spec.taskId}/app`, createGroup: true });
  });

  it('routes awsfirelens lines to CloudWatch as records (or raw with log_key log) and to the s3 archive', async () => {
    const { ctx, app, sent } = recording({ logDriver: 'awsfirelens', options: { Name: 'cloudwatch_logs,s3', log_group_name: 'g', bucket: 'logs', compression: 'none' } });
    await logDelivery(ctx, app)!([line]);
    expect(JSON.parse(sent[0]!.events[0]!.message)).toMatchObject({ log: 'hello', source: 'stdout', ecs_task_arn: ctx.spec.taskArn, ecs_task_definition: 'f:1' });
    expect(readdirSync(join(ctx.deps.archiveDir, 'logs'), { recursive: true }).length).toBeGreaterThan(0);
    const raw = recording({ logDriver: 'awsfirelens', options: { Name: 'cloudwatch', log_group_name: 'g', log_key: 'log' } });
    await logDelivery(raw.ctx, raw.app)!([line]);
    expect(raw.sent[0]!.events).toEqual([{ timestamp: line.timestamp, message: 'hello' }]);
  });
});

describe('followLogs', () => {
  it('resumes at the end of the file after a restart: lines written before are not sent again', async () => {
    const { ctx, app, sent } = recording({ logDriver: 'awslogs', options: { 'awslogs-group': 'g' } });
    const path = join(dir, 'app.log');
    writeFileSync(path, '2024-01-01T00:00:00.000000000Z stdout F old\n');
    followLogs(ctx, app, path, 'end');
    appendFileSync(path, '2024-01-01T00:00:01.000000000Z stdout F new\n');
    await app.forwarder!.close();
    expect(sent.flatMap((s) => s.events.map((e) => e.message))).toEqual(['new']);
  });
});
