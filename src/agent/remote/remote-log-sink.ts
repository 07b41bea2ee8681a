import type { LogSink } from '../../agent-contract/ports.js';
import { ControlPlaneError, type ControlClient } from './control-client.js';

/** How a log batch is retried while the control plane cannot take it. */
export interface LogRetry {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** About half a minute of retries: a control plane restart is ridden out, a long outage is not waited for. */
const DEFAULT_RETRY: LogRetry = { attempts: 7, firstDelayMs: 250, maxDelayMs: 8_000 };

/**
 * The awslogs sink of a remote agent: batches go to the control plane's CloudWatch Logs. A batch
 * the control plane could not take (unreachable, 5xx) is retried with backoff, since the log
 * forwarder drops what its sink refuses; a refusal of the batch itself (4xx) is not retried.
 */
export function remoteLogSink(client: Pick<ControlClient, 'logs'>, instanceArn: () => string, retry: LogRetry = DEFAULT_RETRY): LogSink {
  return async (target, events) => {
    let delay = retry.firstDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.logs({ containerInstanceArn: instanceArn(), target, events });
      } catch (err) {
        const refused = err instanceof ControlPlaneError && err.status < 500 && err.code !== 'UnknownInstance';
        if (refused || attempt >= retry.attempts) throw err;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, retry.maxDelayMs);
      }
    }
  };
}
