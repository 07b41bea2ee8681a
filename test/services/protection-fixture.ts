import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Task } from '@aws-sdk/client-ecs';

/**
 * A worker that waits for a job on port 8080; when one arrives it protects its own task through
 * the agent endpoint (a raw PUT with nc: busybox wget cannot PUT) and then hands the endpoint's
 * answer to whoever connects to port 8080 again.
 */
export const WORKER = [
  'trap "exit 0" TERM',
  'nc -l -p 8080 >/tmp/job & wait $!',
  'body=\'{"ProtectionEnabled":true,"ExpiresInMinutes":60}\'',
  'hostport=${ECS_AGENT_URI#http://}; hostport=${hostport%%/*}',
  'path=/${ECS_AGENT_URI#http://*/}',
  'printf "PUT %s/task-protection/v1/state HTTP/1.0\\r\\nHost: %s\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\n\\r\\n%s" "$path" "$hostport" "${#body}" "$body" | timeout 10 nc ${hostport%:*} ${hostport#*:} >/tmp/answer',
  'nc -l -p 8080 </tmp/answer & wait $!',
  'while true; do sleep 1 & wait $!; done',
].join('\n');

/** An awsvpc task's own address. */
export const addressOf = (t: Task): string => t.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value ?? '';

/** Sends `text` to host:port and returns what comes back before the other side closes. */
function exchange(host: string, port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.end(text));
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (got += d));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer from ${host}:${port}`)));
  });
}

/** Retries `exchange` until the listener is up. */
export async function exchangeWhenListening(host: string, port: number, text: string): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await exchange(host, port, text);
    } catch (err) {
      if (i > 100) throw err;
      await sleep(100);
    }
  }
}
