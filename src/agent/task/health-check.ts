import type { HealthCheck } from '@aws-sdk/client-ecs';

/** A container health state, as ECS names it. */
export type Health = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

/** Runs one probe inside the container. */
export type Probe = (args: string[], timeoutMs: number) => Promise<{ exitCode: number; timedOut: boolean }>;

/** ECS's defaults for a container health check (seconds). */
const DEFAULTS = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 };

/** The probe's argv: CMD-SHELL runs through /bin/sh -c; CMD (or no prefix) runs as given. */
export function probeArgs(command: readonly string[]): string[] {
  const [kind, ...rest] = command;
  if (kind === 'CMD-SHELL') return ['/bin/sh', '-c', rest.join(' ')];
  if (kind === 'CMD') return rest;
  return [...command];
}

/**
 * Docker's health-check state machine, as ECS uses it: a probe every `interval`; a success makes
 * the container HEALTHY; `retries` consecutive failures make it UNHEALTHY, except that failures
 * inside the `startPeriod` do not count. A probe past its `timeout` is a failure.
 */
export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private state: Health = 'UNKNOWN';
  private stopped = false;
  private readonly spec: Required<Pick<HealthCheck, 'interval' | 'timeout' | 'retries' | 'startPeriod'>> & { args: string[] };

  constructor(
    check: HealthCheck,
    private readonly probe: Probe,
    private readonly onChange: (health: Health) => void,
    private readonly startedAt: number = Date.now(),
  ) {
    this.spec = {
      args: probeArgs(check.command ?? []),
      interval: check.interval ?? DEFAULTS.interval,
      timeout: check.timeout ?? DEFAULTS.timeout,
      retries: check.retries ?? DEFAULTS.retries,
      startPeriod: check.startPeriod ?? DEFAULTS.startPeriod,
    };
  }

  /** The current state. */
  get health(): Health {
    return this.state;
  }

  /** Starts probing; the first probe runs one interval after the start, as Docker's does. */
  start(): void {
    this.schedule(this.spec.interval * 1000);
  }

  /** Stops probing; no change is reported afterwards. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runProbe(), delayMs);
    this.timer.unref();
  }

  private async runProbe(): Promise<void> {
    let ok = false;
    try {
      const result = await this.probe(this.spec.args, this.spec.timeout * 1000);
      ok = !result.timedOut && result.exitCode === 0;
    } catch {
      ok = false;
    }
    if (this.stopped) return;
    if (ok) {
      this.failures = 0;
      this.set('HEALTHY');
    } else if (Date.now() - this.startedAt >= this.spec.startPeriod * 1000) {
      this.failures += 1;
      if (this.failures >= this.spec.retries) this.set('UNHEALTHY');
    }
    this.schedule(this.spec.interval * 1000);
  }

  private set(next: Health): void {
    if (next === this.state) return;
    this.state = next;
    this.onChange(next);
  }
}
