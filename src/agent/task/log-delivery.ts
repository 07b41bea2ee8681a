import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { expandKey, firelensOutputs, firelensRecord, firelensTag } from './firelens.js';
import { appendToArchive } from './log-archive.js';
import { LogForwarder, type LogLine } from './log-forwarder.js';
import type { ContainerState, RunContext } from './run-context.js';

/**
 * Follows a container's log file and delivers its lines as its log driver says (nothing without
 * one). From `'end'` after a restart: lines written while the agent was down are not known to
 * have been delivered or not; resuming at the end loses them rather than duplicating old ones.
 */
export function followLogs(ctx: RunContext, c: ContainerState, logPath: string, from: 'start' | 'end' = 'start'): void {
  const deliver = logDelivery(ctx, c);
  if (!deliver) return;
  const offset = from === 'end' ? sizeOf(logPath) : 0;
  c.forwarder = new LogForwarder(
    logPath,
    deliver,
    (err) => ctx.deps.log.warn({ err, taskArn: ctx.spec.taskArn, container: c.def.name }, 'log delivery failed'),
    offset,
  );
  c.forwarder.start();
}

/** Where a container's lines go: awslogs to CloudWatch Logs, awsfirelens to its outputs; else nowhere. */
export function logDelivery(ctx: RunContext, c: ContainerState): ((lines: LogLine[]) => Promise<void>) | undefined {
  const { spec, deps } = ctx;
  const config = c.def.logConfiguration;
  const options = config?.options ?? {};
  if (config?.logDriver === 'awslogs') {
    const prefix = options['awslogs-stream-prefix'];
    const target = {
      region: options['awslogs-region'] ?? spec.region,
      group: options['awslogs-group'] ?? '',
      stream: prefix ? `${prefix}/${c.def.name}/${spec.taskId}` : `${spec.taskId}/${c.def.name}`,
      createGroup: options['awslogs-create-group'] === 'true',
    };
    return (lines) => deps.logs(target, lines.map((l) => ({ timestamp: l.timestamp, message: l.message })));
  }
  if (config?.logDriver !== 'awsfirelens') return undefined;
  const outputs = firelensOutputs(options, { region: spec.region, containerName: c.def.name!, taskId: spec.taskId });
  const tag = firelensTag(c.def.name!, spec.taskId);
  const record = {
    containerName: c.def.name!,
    runtimeId: c.runtimeId,
    clusterArn: spec.clusterArn,
    taskArn: spec.taskArn,
    taskDefinition: `${spec.family}:${spec.revision}`,
  };
  return async (lines) => {
    const records = lines.map((l) => firelensRecord(l, record));
    for (const out of outputs) {
      if (out.kind === 'cloudwatch') {
        await deps.logs(
          out.target,
          lines.map((l, i) => ({ timestamp: l.timestamp, message: out.logKey === 'log' ? l.message : JSON.stringify(records[i]) })),
        );
      } else {
        const key = expandKey(out.keyFormat, tag, new Date(lines[0]!.timestamp), randomUUID());
        await appendToArchive(deps.archiveDir, out.bucket, key, records.map((r, i) => JSON.stringify({ ...r, time: new Date(lines[i]!.timestamp).toISOString() })), out.gzip);
      }
    }
  };
}

/** A file's size; 0 when it does not exist (yet). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
