import type { LogTarget } from '../../agent-contract/ports.js';

/**
 * FireLens without a Fluent Bit process: the agent itself routes the lines of an `awsfirelens`
 * container to the outputs its options name, with Fluent Bit's option names so that task
 * definitions written for AWS keep working. `Name` may list several outputs separated by commas
 * (a minato extension; on AWS that needs a custom Fluent Bit config file).
 *
 * - `cloudwatch` / `cloudwatch_logs`: `region`, `log_group_name`, `log_stream_name` or
 *   `log_stream_prefix` (+ the tag), `auto_create_group`, `log_key`.
 * - `s3`: an archive in the data dir laid out as a bucket: `bucket`, `s3_key_format` (`$TAG`,
 *   `$UUID`, strftime `%Y %m %d %H %M %S`), `compression` (`gzip`, the default here, or `none`).
 */

/** Where an awsfirelens container's records go. */
export type FirelensOutput =
  | { kind: 'cloudwatch'; target: LogTarget; logKey?: string }
  | { kind: 's3'; bucket: string; keyFormat: string; gzip: boolean };

/** Fluent Bit's default S3 key format. */
const DEFAULT_KEY_FORMAT = '/fluent-bit-logs/$TAG/%Y/%m/%d/%H/%M/%S';

/** The FireLens tag of a container's records: `<container name>-firelens-<task id>`. */
export const firelensTag = (containerName: string, taskId: string) => `${containerName}-firelens-${taskId}`;

/** The outputs an awsfirelens log configuration names; unknown outputs are an error. */
export function firelensOutputs(options: Record<string, string>, ctx: { region: string; containerName: string; taskId: string }): FirelensOutput[] {
  const tag = firelensTag(ctx.containerName, ctx.taskId);
  const names = (options.Name ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new Error('the awsfirelens log driver needs a Name option (cloudwatch_logs, s3)');
  return names.map((name): FirelensOutput => {
    if (name === 'cloudwatch' || name === 'cloudwatch_logs') {
      if (!options.log_group_name) throw new Error(`FireLens output ${name} needs log_group_name`);
      return {
        kind: 'cloudwatch',
        target: {
          region: options.region ?? ctx.region,
          group: options.log_group_name,
          stream: options.log_stream_name ?? `${options.log_stream_prefix ?? ''}${tag}`,
          createGroup: options.auto_create_group === 'true' || options.auto_create_group === 'On',
        },
        ...(options.log_key && { logKey: options.log_key }),
      };
    }
    if (name === 's3') {
      if (!options.bucket) throw new Error('FireLens output s3 needs bucket');
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) throw new Error(`invalid bucket name ${options.bucket}`);
      return { kind: 's3', bucket: options.bucket, keyFormat: options.s3_key_format ?? DEFAULT_KEY_FORMAT, gzip: options.compression !== 'none' };
    }
    throw new Error(`FireLens output ${name} is not supported (supported: cloudwatch_logs, s3)`);
  });
}

/** Expands an S3 key format for one batch: `$TAG`, `$UUID` and strftime fields in UTC. */
export function expandKey(format: string, tag: string, at: Date, uuid: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const fields: Record<string, string> = {
    Y: String(at.getUTCFullYear()),
    m: pad(at.getUTCMonth() + 1),
    d: pad(at.getUTCDate()),
    H: pad(at.getUTCHours()),
    M: pad(at.getUTCMinutes()),
    S: pad(at.getUTCSeconds()),
  };
  const key = format
    .replace(/\$TAG/g, tag)
    .replace(/\$UUID/g, uuid)
    .replace(/%([YmdHMS])/g, (_m, f: string) => fields[f]!);
  // Keys are paths below the bucket: no way out of it.
  return key.split('/').filter((p) => p !== '' && p !== '.' && p !== '..').join('/');
}

/** The record FireLens makes of one line, with ECS's metadata fields. */
export function firelensRecord(
  line: { message: string; stream: string },
  ctx: { containerName: string; runtimeId: string; clusterArn: string; taskArn: string; taskDefinition: string },
) {
  return {
    source: line.stream,
    log: line.message,
    container_id: ctx.runtimeId,
    container_name: `/${ctx.runtimeId}`,
    ecs_cluster: ctx.clusterArn.split('/').pop(),
    ecs_task_arn: ctx.taskArn,
    ecs_task_definition: ctx.taskDefinition,
  };
}
