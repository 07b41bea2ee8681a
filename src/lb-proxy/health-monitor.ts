/**
 * The health checks of every target of the groups in use: one self-rescheduling check per
 * target (the interval counts from a check's start), results folded by health-state.ts, and
 * every state change reported at once so routing follows within the same tick.
 */
import type { ObservedTargetHealth, ProxyTarget, ProxyTargetGroup } from './proxy-config.js';
import { type HealthRecord, initialHealth, nextHealth } from './health-state.js';
import { parseMatcher, probe } from './health-probe.js';

interface Check {
  group: ProxyTargetGroup;
  target: ProxyTarget;
  record: HealthRecord;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

/** Called with the group, the target and its new record on every change of state or reason. */
export type HealthListener = (group: ProxyTargetGroup, target: ProxyTarget, record: HealthRecord) => void;

const keyOf = (groupArn: string, t: ProxyTarget): string => `${groupArn}\n${t.id}\n${t.address}:${t.port}`;

/** Runs the checks and holds their conclusions. */
export class HealthMonitor {
  private readonly checks = new Map<string, Check>();

  constructor(private readonly onChange: HealthListener) {}

  /**
   * Checks exactly the non-draining targets of `groups` (those in use, with checks enabled);
   * a target already checked keeps its record, a new one starts `initial` unless `seed` knows it.
   */
  sync(groups: ProxyTargetGroup[], seed: (group: ProxyTargetGroup, target: ProxyTarget) => HealthRecord | undefined): void {
    const wanted = new Set<string>();
    for (const group of groups) {
      if (!group.healthCheck.enabled) continue;
      for (const target of group.targets) {
        if (target.draining) continue;
        const key = keyOf(group.arn, target);
        wanted.add(key);
        const existing = this.checks.get(key);
        if (existing) {
          existing.group = group;
          existing.target = target;
          continue;
        }
        const check: Check = { group, target, record: seed(group, target) ?? initialHealth(new Date()), stopped: false };
        this.checks.set(key, check);
        void this.run(check);
      }
    }
    for (const [key, check] of this.checks) {
      if (wanted.has(key)) continue;
      check.stopped = true;
      clearTimeout(check.timer);
      this.checks.delete(key);
    }
  }

  /** The record of one checked target. */
  record(groupArn: string, target: ProxyTarget): HealthRecord | undefined {
    return this.checks.get(keyOf(groupArn, target))?.record;
  }

  /** Every checked target of a group, as the contract reports it. */
  health(groupArn: string): ObservedTargetHealth[] {
    return [...this.checks.values()].filter((c) => c.group.arn === groupArn).map((c) => observed(c.target, c.record));
  }

  /** Stops every check. */
  stop(): void {
    this.sync([], () => undefined);
  }

  private async run(check: Check): Promise<void> {
    const started = Date.now();
    const hc = check.group.healthCheck;
    const result = await probe({
      protocol: hc.protocol,
      address: check.target.address,
      port: hc.port === 'traffic-port' ? check.target.port : hc.port,
      path: hc.path ?? '/',
      timeoutMs: hc.timeoutSeconds * 1000,
      matcher: parseMatcher(hc.matcher),
    });
    if (check.stopped) return;
    const before = check.record;
    check.record = nextHealth(before, result, { healthy: hc.healthyThreshold, unhealthy: hc.unhealthyThreshold }, new Date());
    if (check.record.state !== before.state || check.record.reason !== before.reason || check.record.description !== before.description) {
      this.onChange(check.group, check.target, check.record);
    }
    const wait = Math.max(0, hc.intervalSeconds * 1000 - (Date.now() - started));
    check.timer = setTimeout(() => void this.run(check), wait);
    check.timer.unref();
  }
}

/** A record as the contract's ObservedTargetHealth. */
export function observed(target: ProxyTarget, record: HealthRecord): ObservedTargetHealth {
  return {
    id: target.id,
    port: target.port,
    state: record.state,
    ...(record.reason ? { reason: record.reason, description: record.description } : {}),
    since: record.since,
  };
}
