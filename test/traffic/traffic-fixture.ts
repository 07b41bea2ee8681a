import { Agent, request } from 'node:http';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  type Action,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import type { TestPlatform } from '../support/platform.js';
import { defaultSubnets } from '../support/default-vpc.js';

export const SUBNETS = defaultSubnets();
export const VPC = 'vpc-12345678';

/** An ELBv2 client of the real SDK pointed at the platform. */
export function elbClient(platform: TestPlatform): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({
    endpoint: platform.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey },
    maxAttempts: 1,
  });
}

/**
 * A web container: busybox httpd on 8080 answering `<name> <task address>` at `/` and at
 * `/<name>/`, and `ok` at `/health`. With `ignoreTerm` its PID 1 is httpd itself, which (as a
 * namespace's init without a handler) ignores SIGTERM, so only the SIGKILL after stopTimeout ends it.
 */
export function webContainer(image: string, name: string, opts: { ignoreTerm?: boolean; extraScript?: string } = {}): ContainerDefinition {
  const page = `mkdir -p /srv/${name}; echo "${name} $(ip -4 -o addr show dev eth0 | sed -e 's/.*inet \\([0-9.]*\\).*/\\1/')" | tee /srv/index.html > /srv/${name}/index.html; echo ok > /srv/health; ${opts.extraScript ?? ''}`;
  const serve = opts.ignoreTerm ? 'exec httpd -f -p 8080 -h /srv' : 'trap "exit 0" TERM; httpd -f -p 8080 -h /srv & wait';
  return {
    name: 'web',
    image,
    command: ['sh', '-c', `${page} ${serve}`],
    portMappings: [{ containerPort: 8080 }],
    stopTimeout: 5,
  };
}

/** An application load balancer, an `ip` target group for port 8080 and an HTTP listener on port 80. */
export async function albWithTargetGroup(
  elb: ElasticLoadBalancingV2Client,
  name: string,
  opts: { deregistrationDelay?: number; healthPath?: string; listenerPort?: number } = {},
): Promise<{ lbArn: string; dnsName: string; tgArn: string; listenerArn: string }> {
  const { LoadBalancers } = await elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: SUBNETS, Type: 'application' }));
  const lb = LoadBalancers![0]!;
  const tgArn = await targetGroup(elb, `${name}-tg`, opts);
  const { Listeners } = await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancerArn,
      Protocol: 'HTTP',
      Port: opts.listenerPort ?? 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
    }),
  );
  return { lbArn: lb.LoadBalancerArn!, dnsName: lb.DNSName!, tgArn, listenerArn: Listeners![0]!.ListenerArn! };
}

/** An `ip` target group on port 8080 with a quick health check (ELB's minimums) and a short drain. */
export async function targetGroup(
  elb: ElasticLoadBalancingV2Client,
  name: string,
  opts: { deregistrationDelay?: number; healthPath?: string; protocol?: 'HTTP' | 'TCP' } = {},
): Promise<string> {
  const protocol = opts.protocol ?? 'HTTP';
  const { TargetGroups } = await elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: protocol,
      Port: 8080,
      VpcId: VPC,
      TargetType: 'ip',
      HealthCheckIntervalSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      HealthCheckTimeoutSeconds: 2,
      ...(protocol === 'HTTP' && { HealthCheckPath: opts.healthPath ?? '/health' }),
    }),
  );
  const tgArn = TargetGroups![0]!.TargetGroupArn!;
  await elb.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: tgArn,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(opts.deregistrationDelay ?? 3) }],
    }),
  );
  return tgArn;
}

export const forwardTo = (tgArn: string): Action[] => [{ Type: 'forward', TargetGroupArn: tgArn }];

/** The target group's targets as DescribeTargetHealth shows them. */
export async function targetHealth(elb: ElasticLoadBalancingV2Client, tgArn: string): Promise<TargetHealthDescription[]> {
  return (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions ?? [];
}

/** Polls `read` until `done` holds (bounded); the error names `what` and the last value. */
export async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One HTTP GET through a keep-alive agent: status and body, or the connection error. */
export function get(url: string, agent?: Agent, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** What a steady client saw: every answer by status, and every failure (connection error or 5xx). */
export interface LoadReport {
  sent: number;
  byStatus: Record<number, number>;
  failures: string[];
  bodies: Map<string, number>;
  durationMs: number;
}

/**
 * Sends GETs at a steady `ratePerSecond` (bounded by `maxMs` and `maxRequests`) over a few
 * keep-alive connections until `stop` resolves; a real client's view of a deployment.
 */
export async function steadyLoad(
  url: string,
  ratePerSecond: number,
  stop: Promise<unknown>,
  limits: { maxMs: number; maxRequests: number },
): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const report: LoadReport = { sent: 0, byStatus: {}, failures: [], bodies: new Map(), durationMs: 0 };
  let stopped = false;
  void stop.then(() => (stopped = true), () => (stopped = true));
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  while (!stopped && Date.now() - started < limits.maxMs && report.sent < limits.maxRequests) {
    // Catch up with the schedule, so timer drift does not lower the rate.
    const due = Math.min(Math.floor(((Date.now() - started) * ratePerSecond) / 1000) - report.sent, ratePerSecond);
    for (let i = 0; i < due; i++) {
      report.sent++;
      const one = get(url, agent).then(
        ({ status, body }) => {
          report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
          if (status >= 500) report.failures.push(`${status} ${body.slice(0, 80)}`);
          const who = body.trim();
          report.bodies.set(who, (report.bodies.get(who) ?? 0) + 1);
        },
        (err: Error) => void report.failures.push(err.message),
      );
      inFlight.add(one);
      void one.finally(() => inFlight.delete(one));
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(inFlight);
  report.durationMs = Date.now() - started;
  agent.destroy();
  return report;
}
