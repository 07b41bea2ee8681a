import type { MetricService } from '../metric-service.js';
import { readAlarmData } from './alarm-data.js';
import { evaluateRule, parseAlarmRule, ruleAlarms } from './alarm-rule.js';
import type { Alarm, AlarmState, CompositeAlarm, MetricAlarm, StateValue } from './alarm-types.js';
import { evaluateAlarm, reasonDataTime } from './evaluator.js';

/** A state change an evaluation round decided. */
export interface StateChange {
  readonly alarm: Alarm;
  readonly before: AlarmState;
  readonly after: AlarmState;
}

/** The new state of a metric alarm at `now`, or undefined when it stays. */
export async function judgeMetricAlarm(metrics: MetricService, alarm: MetricAlarm, now: Date): Promise<AlarmState | undefined> {
  const data = await readAlarmData(metrics, alarm, now);
  const verdict = evaluateAlarm({ points: data.points, rule: alarm, current: alarm.state.value, context: data.context, ...(data.percentile !== undefined && { percentile: data.percentile }) });
  if (!verdict || verdict.state === alarm.state.value) return undefined;
  const at = now.getTime();
  return { value: verdict.state, reason: verdict.reason, reasonData: verdict.reasonData, updatedAt: at, transitionedAt: at };
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long', day: '2-digit', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'UTC',
});

/** "Sunday 06 December, 2026 18:40:00 UTC", as composite reasons print times. */
function longDate(ms: number): string {
  const p = Object.fromEntries(LONG_DATE.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month}, ${p.year} ${p.hour}:${p.minute}:${p.second} UTC`;
}

/**
 * The composite alarms that must be evaluated again when the named alarms changed state: those
 * whose rule names one of them, and their own parents in turn (a composite is evaluated when a
 * child changes, not on a clock, so a state set by hand holds until then, as CloudWatch does).
 */
export function affectedComposites(alarms: ReadonlyMap<string, Alarm>, changed: Iterable<string>): Set<string> {
  const parents = new Map<string, string[]>();
  const names = new Map<string, string>();
  for (const a of alarms.values()) names.set(a.arn, a.name);
  for (const a of alarms.values()) {
    if (a.kind !== 'CompositeAlarm') continue;
    for (const ref of ruleAlarms(parseAlarmRule(a.rule))) {
      const child = alarms.has(ref) ? ref : names.get(ref);
      if (child !== undefined) (parents.get(child) ?? parents.set(child, []).get(child)!).push(a.name);
    }
  }
  const out = new Set<string>();
  const queue = [...changed];
  while (queue.length > 0) {
    for (const p of parents.get(queue.pop()!) ?? []) {
      if (out.has(p)) continue;
      out.add(p);
      queue.push(p);
    }
  }
  return out;
}

/**
 * Evaluates composite alarms over the states in `alarms` (by name and ARN) until none changes
 * (a composite may name another), at most as many rounds as there are composites, so a cycle
 * cannot spin. Returns the changes; `alarms` is updated in place.
 */
export function judgeComposites(alarms: Map<string, Alarm>, now: Date, only?: ReadonlySet<string>): StateChange[] {
  const byArn = new Map<string, Alarm>();
  for (const a of alarms.values()) byArn.set(a.arn, a);
  const find = (ref: string) => alarms.get(ref) ?? byArn.get(ref);
  const composites = [...alarms.values()].filter((a): a is CompositeAlarm => a.kind === 'CompositeAlarm' && (!only || only.has(a.name)));
  const changes: StateChange[] = [];
  for (let round = 0; round <= composites.length; round++) {
    let changed = false;
    for (const c0 of composites) {
      const c = alarms.get(c0.name) as CompositeAlarm;
      const expr = parseAlarmRule(c.rule);
      const value: StateValue = evaluateRule(expr, (ref) => find(ref)?.state.value) ? 'ALARM' : 'OK';
      if (value === c.state.value) continue;
      const children = ruleAlarms(expr).map(find).filter((a): a is Alarm => a !== undefined);
      const trigger = [...children].sort((x, y) => y.state.transitionedAt - x.state.transitionedAt)[0];
      const at = now.getTime();
      const after: AlarmState = {
        value,
        reason: trigger ? `${trigger.arn} transitioned to ${trigger.state.value} at ${longDate(trigger.state.transitionedAt)}` : `The alarm rule evaluated to ${value === 'ALARM' ? 'TRUE' : 'FALSE'}`,
        reasonData: JSON.stringify({
          triggeringAlarms: children.map((a) => ({ arn: a.arn, state: { value: a.state.value, timestamp: reasonDataTime(a.state.transitionedAt) } })),
        }),
        updatedAt: at,
        transitionedAt: at,
      };
      const next: CompositeAlarm = { ...c, state: after };
      alarms.set(c.name, next);
      byArn.set(c.arn, next);
      changes.push({ alarm: next, before: c.state, after });
      changed = true;
    }
    if (!changed) break;
  }
  return changes;
}
