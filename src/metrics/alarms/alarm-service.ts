import { DomainError, ErrorKind, invalidParameter, notFound } from '../../lib/errors.js';
import { formatArn } from '../../lib/arn.js';
import type { Scope } from '../../lib/scope.js';
import { invalidCombination } from '../datum-rules.js';
import { getMetricData } from '../metric-data.js';
import type { MetricService } from '../metric-service.js';
import { SqliteMetricStore } from '../sqlite-metric-store.js';
import { ActionHandlers, type ActionHandler, type AlarmActions } from './alarm-actions.js';
import { affectedComposites, judgeComposites, judgeMetricAlarm, type StateChange } from './alarm-evaluation.js';
import { actionItem, configurationItem, stateItem } from './alarm-history.js';
import { startAlarmSchedule, type ScheduleOptions } from './alarm-schedule.js';
import { alarmKey } from './data-arrivals.js';
import { checkActions, checkMetricAlarm, type PutCompositeAlarmRequest, type PutMetricAlarmRequest, type Tag } from './alarm-input.js';
import { parseAlarmRule, ruleAlarms } from './alarm-rule.js';
import type { AlarmStore, HistoryItemOf } from './alarm-store.js';
import { SqliteAlarmStore } from './sqlite-alarm-store.js';
import type { Alarm, AlarmState, CompositeAlarm, HistoryItem, MetricAlarm, StateValue } from './alarm-types.js';

/** The state of an alarm that was never evaluated. */
const initialState = (at: number): AlarmState => ({ value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedAt: at, transitionedAt: at });

export const alarmArn = (scope: Pick<Scope, 'region' | 'accountId'>, name: string): string => formatArn('cloudwatch', scope.region, scope.accountId, `alarm:${name}`);

/** An alarm the request names does not exist (ResourceNotFound). */
const alarmNotFound = (name: string) => notFound('alarm', `Alarm ${name} not found`);

/**
 * CloudWatch alarms: their configuration (PutMetricAlarm, PutCompositeAlarm, Delete…, Enable/
 * DisableAlarmActions, tags), their state (SetAlarmState and the evaluation rounds) and their
 * history, over the alarm tables of the metric service's database. Every API call takes the
 * request's scope; evaluation rounds take their time from the caller.
 */
export class AlarmService {
  readonly store: AlarmStore;
  /** Action handlers by ARN prefix (the default port). */
  readonly handlers = new ActionHandlers();
  private readonly actions: AlarmActions;

  constructor(
    readonly metrics: MetricService,
    options: { actions?: AlarmActions; store?: AlarmStore } = {},
  ) {
    // Alarms live beside the metrics, in the same database (one file to back up, one WAL).
    if (options.store) this.store = options.store;
    else if (metrics.store instanceof SqliteMetricStore) this.store = new SqliteAlarmStore(metrics.store.database);
    else throw new Error('alarms need an alarm store beside a metric store that is not SQLite\'s');
    this.actions = options.actions ?? this.handlers;
  }

  /** Registers the handler of the action ARNs starting with `prefix`; returns a function that removes it. */
  registerActionHandler(prefix: string, handler: ActionHandler): () => void {
    return this.handlers.register(prefix, handler);
  }

  /** PutMetricAlarm: creates the alarm, or replaces its configuration (its state and tags stay). */
  async putMetricAlarm(scope: Scope, input: PutMetricAlarmRequest): Promise<MetricAlarm> {
    const checked = checkMetricAlarm(input);
    if (checked.metrics) {
      // The queries must be a valid GetMetricData request: the same ids, expressions and errors.
      const end = Math.floor(scope.now.getTime() / 1000);
      await getMetricData(this.metrics, scope, { MetricDataQueries: checked.metrics, StartTime: end - 60, EndTime: end, MaxDatapoints: 1 });
    }
    const before = await this.existing(scope, input.AlarmName, 'MetricAlarm');
    const at = scope.now.getTime();
    const alarm: MetricAlarm = {
      kind: 'MetricAlarm',
      ...this.common(scope, input, before),
      ...checked,
    };
    await this.store.write([alarm], [configurationItem(before ? 'Update' : 'Create', alarm, at, before)]);
    return alarm;
  }

  /** PutCompositeAlarm: the rule must parse and name existing alarms; the state follows at once. */
  async putCompositeAlarm(scope: Scope, input: PutCompositeAlarmRequest): Promise<CompositeAlarm> {
    if (input.ActionsSuppressor !== undefined) {
      throw invalidParameter('The parameter ActionsSuppressor is not supported by this endpoint.');
    }
    const expr = parseAlarmRule(input.AlarmRule);
    const all = new Map((await this.store.ofRegion(scope.region)).map((a) => [a.name, a]));
    const arns = new Map([...all.values()].map((a) => [a.arn, a]));
    const named = ruleAlarms(expr);
    const unknown = named.filter((ref) => !all.has(ref) && !arns.has(ref));
    if (unknown.length > 0) {
      throw invalidParameter(`Could not save the composite alarm as alarms [${unknown.join(', ')}] in the alarm rule do not exist`);
    }
    // A rule may not lead back to the alarm itself.
    const seen = new Set<string>();
    const walk = (ref: string): void => {
      const a = all.get(ref) ?? arns.get(ref);
      if (!a || seen.has(a.name)) return;
      seen.add(a.name);
      if (a.name === input.AlarmName) throw invalidParameter(`The alarm rule of ${input.AlarmName} creates a cycle through ${a.name}.`);
      if (a.kind === 'CompositeAlarm') ruleAlarms(parseAlarmRule(a.rule)).forEach(walk);
    };
    named.forEach(walk);
    const before = await this.existing(scope, input.AlarmName, 'CompositeAlarm');
    const alarm: CompositeAlarm = { kind: 'CompositeAlarm', ...this.common(scope, input, before), rule: input.AlarmRule };
    all.set(alarm.name, alarm);
    // The new rule is evaluated at once; composites that name this one follow its state.
    const changes = judgeComposites(all, scope.now, new Set([alarm.name, ...affectedComposites(all, [alarm.name])]));
    const saved = all.get(alarm.name)!;
    const others = [...new Set(changes.map((c) => c.alarm.name))].filter((n) => n !== alarm.name).map((n) => all.get(n)!);
    await this.store.write([saved, ...others], [configurationItem(before ? 'Update' : 'Create', alarm, scope.now.getTime(), before), ...changes.map((c) => stateItem(c.alarm, c.before, c.after))]);
    void this.runActions(changes, scope.now.getTime());
    return saved as CompositeAlarm;
  }

  private async existing(scope: Scope, name: string, kind: Alarm['kind']): Promise<Alarm | undefined> {
    const before = await this.store.get(scope.region, name);
    if (before && before.kind !== kind) {
      throw invalidParameter(`The alarm ${name} already exists as a ${before.kind === 'CompositeAlarm' ? 'composite' : 'metric'} alarm.`);
    }
    return before;
  }

  private common(scope: Scope, input: PutCompositeAlarmRequest | PutMetricAlarmRequest, before: Alarm | undefined) {
    checkActions({ OKActions: input.OKActions, AlarmActions: input.AlarmActions, InsufficientDataActions: input.InsufficientDataActions });
    checkTags(input.Tags);
    const at = scope.now.getTime();
    return {
      name: input.AlarmName,
      arn: alarmArn(scope, input.AlarmName),
      region: scope.region,
      ...(input.AlarmDescription !== undefined && { description: input.AlarmDescription }),
      actionsEnabled: input.ActionsEnabled ?? true,
      okActions: input.OKActions ?? [],
      alarmActions: input.AlarmActions ?? [],
      insufficientDataActions: input.InsufficientDataActions ?? [],
      configUpdatedAt: at,
      // Tags given when an alarm is updated are ignored, as CloudWatch does: TagResource changes them.
      tags: before ? before.tags : (input.Tags ?? []),
      state: before ? before.state : initialState(at),
    };
  }

  /** The named alarm, or ResourceNotFound. */
  async get(scope: Scope, name: string): Promise<Alarm> {
    const alarm = await this.store.get(scope.region, name);
    if (!alarm) throw alarmNotFound(name);
    return alarm;
  }

  /** The region's alarms in name order. */
  list(scope: Scope): Promise<Alarm[]> {
    return this.store.ofRegion(scope.region);
  }

  /** SetAlarmState: sets the state until the next evaluation; actions run as for an evaluated change. */
  async setState(scope: Scope, name: string, value: StateValue, reason: string, reasonData?: string): Promise<void> {
    if (reasonData !== undefined) {
      try {
        JSON.parse(reasonData);
      } catch {
        throw new DomainError(ErrorKind.InvalidArgument, 'Invalid JSON for StateReasonData.', 'format');
      }
    }
    const alarm = await this.get(scope, name);
    const at = scope.now.getTime();
    const after: AlarmState = { value, reason, ...(reasonData !== undefined && { reasonData }), updatedAt: at, transitionedAt: value === alarm.state.value ? alarm.state.transitionedAt : at };
    const next = { ...alarm, state: after } as Alarm;
    const all = new Map((await this.store.ofRegion(scope.region)).map((a) => [a.name, a]));
    all.set(name, next);
    const changes: StateChange[] = value === alarm.state.value ? [] : [{ alarm: next, before: alarm.state, after }];
    if (changes.length > 0) {
      const parents = affectedComposites(all, [name]);
      parents.delete(name);
      changes.push(...judgeComposites(all, scope.now, parents));
    }
    const written = new Set(changes.map((c) => c.alarm.name).filter((n) => n !== name));
    await this.store.write([next, ...[...written].map((n) => all.get(n)!)], changes.map((c) => stateItem(c.alarm, c.before, c.after)));
    await this.runActions(changes, at);
  }

  /** Enable/DisableAlarmActions: alarms that do not exist are passed over. */
  async setActionsEnabled(scope: Scope, names: readonly string[], enabled: boolean): Promise<void> {
    await this.store.edit(scope.region, names, (found) => {
      const alarms: Alarm[] = [];
      const history: HistoryItemOf[] = [];
      for (const alarm of found.values()) {
        if (alarm.actionsEnabled === enabled) continue;
        const next = { ...alarm, actionsEnabled: enabled, configUpdatedAt: scope.now.getTime() } as Alarm;
        alarms.push(next);
        history.push(configurationItem('Update', next, scope.now.getTime(), alarm));
      }
      return { alarms, history };
    });
  }

  /** DeleteAlarms: deletes the alarms that exist; returns the names that did not. */
  async deleteAlarms(scope: Scope, names: readonly string[]): Promise<string[]> {
    let missing: string[] = [];
    const all = new Map((await this.store.ofRegion(scope.region)).map((a) => [a.name, a]));
    const composites = names.filter((n) => all.get(n)?.kind === 'CompositeAlarm');
    if (composites.length > 1) throw invalidParameter('You can delete no more than one composite alarm in one operation.');
    for (const name of composites) {
      const parents = [...affectedComposites(all, [name])];
      if (parents.length > 0) throw invalidParameter(`The composite alarm ${name} cannot be deleted: the alarm rule of ${parents[0]} depends on it.`);
    }
    await this.store.edit(scope.region, names, (found) => {
      missing = names.filter((name) => !found.has(name));
      const gone = [...found.values()];
      return {
        history: gone.map((alarm) => configurationItem('Delete', alarm, scope.now.getTime())),
        removed: gone.map((alarm) => ({ region: scope.region, name: alarm.name })),
      };
    });
    return missing;
  }

  /** The alarm an ARN names, for the tagging operations (ResourceNotFoundException). */
  private async byArn(scope: Scope, arn: string): Promise<Alarm> {
    const name = this.nameOf(scope, arn);
    const alarm = name === undefined ? undefined : await this.store.get(scope.region, name);
    if (!alarm) throw resourceNotFound(arn);
    return alarm;
  }

  /** The alarm name an ARN of this region and account names. */
  private nameOf(scope: Scope, arn: string): string | undefined {
    const prefix = alarmArn(scope, '');
    return arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
  }

  /** Rewrites the tags of the alarm an ARN names, in one transaction with their reading. */
  private async editTags(scope: Scope, arn: string, edit: (tags: readonly Tag[]) => Tag[]): Promise<void> {
    const name = this.nameOf(scope, arn);
    if (name === undefined) throw resourceNotFound(arn);
    await this.store.edit(scope.region, [name], (found) => {
      const alarm = found.get(name);
      if (!alarm) throw resourceNotFound(arn);
      return { alarms: [{ ...alarm, tags: edit(alarm.tags) } as Alarm] };
    });
  }

  async listTags(scope: Scope, arn: string): Promise<Tag[]> {
    return [...(await this.byArn(scope, arn)).tags];
  }

  async tag(scope: Scope, arn: string, tags: readonly Tag[]): Promise<void> {
    checkTags(tags);
    await this.editTags(scope, arn, (current) => {
      const merged = new Map(current.map((t) => [t.Key, t.Value]));
      for (const t of tags) merged.set(t.Key, t.Value);
      if (merged.size > 50) throw invalidParameter('An alarm can have at most 50 tags.');
      return [...merged].map(([Key, Value]) => ({ Key, Value }));
    });
  }

  async untag(scope: Scope, arn: string, keys: readonly string[]): Promise<void> {
    await this.editTags(scope, arn, (current) => current.filter((t) => !keys.includes(t.Key)));
  }

  /**
   * One evaluation round at `now`: every metric alarm, or only those whose period is under a
   * minute (`subMinuteOnly`, the 10-second rounds), or only the alarms named by {@link alarmKey}
   * (`only`, the round on the arrival of their data), then the composite alarms whose children
   * changed. Changes and their history commit together; actions run after, and the promise
   * resolves once each action's outcome is in the history. Auto Scaling actions are repeated
   * on the full rounds only.
   */
  async evaluate(now: Date, { subMinuteOnly = false, only }: { subMinuteOnly?: boolean; only?: ReadonlySet<string> } = {}): Promise<{ evaluated: number; changes: StateChange[] }> {
    const due = only ? (await this.store.all()).filter((a) => only.has(alarmKey(a))) : subMinuteOnly ? await this.store.subMinute() : await this.store.all();
    const full = !subMinuteOnly && !only;
    const changes: StateChange[] = [];
    // Auto Scaling actions are invoked again every minute the alarm stays in their state, as CloudWatch does.
    const repeats: StateChange[] = [];
    let evaluated = 0;
    for (const a of due) {
      if (a.kind !== 'MetricAlarm') continue;
      evaluated++;
      const after = await judgeMetricAlarm(this.metrics, a, now);
      if (after) changes.push({ alarm: { ...a, state: after }, before: a.state, after });
      else if (full && a.actionsEnabled && actionsOf(a, a.state.value).some(isAutoScaling)) repeats.push({ alarm: a, before: a.state, after: a.state });
    }
    // Composites read the states of the whole region, but only where something changed.
    for (const regionName of new Set(changes.map((c) => c.alarm.region))) {
      const region = new Map((await this.store.ofRegion(regionName)).map((a) => [a.name, a]));
      const changed = changes.filter((c) => c.alarm.region === regionName);
      for (const c of changed) region.set(c.alarm.name, c.alarm);
      changes.push(...judgeComposites(region, now, affectedComposites(region, changed.map((c) => c.alarm.name))));
    }
    const written = await this.writeChanges(changes);
    changes.length = 0;
    changes.push(...written);
    await this.runActions([...changes, ...repeats], now.getTime(), (c, arn) => c.before !== c.after || isAutoScaling(arn));
    return { evaluated, changes };
  }

  /** Runs the actions of each change whose alarm has actions enabled (those `which` keeps), and records each outcome at `at`. */
  private async runActions(changes: readonly StateChange[], at: number, which: (change: StateChange, arn: string) => boolean = () => true): Promise<void> {
    const items: Array<HistoryItem & { region: string }> = [];
    await Promise.all(
      changes.map(async (change) => {
        const { alarm, after } = change;
        if (!alarm.actionsEnabled) return;
        for (const arn of actionsOf(alarm, after.value)) {
          if (!which(change, arn)) continue;
          let error: string | undefined;
          try {
            await this.actions.execute(arn, alarm, after.value, change.before.value);
          } catch (err) {
            error = err instanceof Error ? err.message : String(err);
          }
          items.push(actionItem(alarm, arn, after.updatedAt, at, error));
        }
      }),
    );
    if (items.length > 0) await this.store.write([], items);
  }

  /**
   * Writes a round's state changes, region by region, each over the alarm as it is now: reading the
   * data took time, and an alarm whose configuration or state changed meanwhile (a PutMetricAlarm,
   * SetAlarmState, or a round of another process) keeps what it has; the next round judges it
   * again. Returns the changes written.
   */
  private async writeChanges(changes: readonly StateChange[]): Promise<StateChange[]> {
    const written: StateChange[] = [];
    for (const region of new Set(changes.map((c) => c.alarm.region))) {
      const ofRegion = changes.filter((c) => c.alarm.region === region);
      await this.store.edit(region, [...new Set(ofRegion.map((c) => c.alarm.name))], (found) => {
        // An alarm may change twice in a round (a composite): the first change starts from what was read.
        const first = new Map<string, StateChange>();
        for (const c of ofRegion) if (!first.has(c.alarm.name)) first.set(c.alarm.name, c);
        const ok = ofRegion.filter((c) => {
          const stored = found.get(c.alarm.name);
          const read = first.get(c.alarm.name)!;
          return stored !== undefined && stored.configUpdatedAt === read.alarm.configUpdatedAt && sameState(stored.state, read.before);
        });
        written.push(...ok);
        const last = new Map(ok.map((c) => [c.alarm.name, c.alarm]));
        return { alarms: [...last.values()], history: ok.map((c) => stateItem(c.alarm, c.before, c.after)) };
      });
    }
    return written;
  }

  /**
   * Evaluates on CloudWatch's schedule until the returned function is called: at every 10-second
   * mark of the clock the alarms whose period is under a minute, at the first mark of each minute
   * all of them, so that a round runs as soon as the periods it judges have ended. Data that
   * arrive for a period that has already ended have their alarms evaluated at once (see
   * data-arrivals.ts). Rounds never overlap: one asked for during another runs after it. History
   * older than 30 days is dropped once an hour.
   */
  start(onError: (err: unknown) => void, options: ScheduleOptions = {}): () => Promise<void> {
    return startAlarmSchedule(this, onError, options);
  }
}

/** Whether two states are the same record (a state is replaced whole, never edited). */
const sameState = (a: AlarmState, b: AlarmState): boolean => a.value === b.value && a.updatedAt === b.updatedAt && a.reason === b.reason;

/** The resource an ARN names does not exist (ResourceNotFoundException). */
const resourceNotFound = (arn: string) => notFound('resource', `The specified resource ${arn} does not exist.`);

/** The actions of an alarm for a state. */
const actionsOf = (alarm: Alarm, state: StateValue): readonly string[] =>
  state === 'ALARM' ? alarm.alarmActions : state === 'OK' ? alarm.okActions : alarm.insufficientDataActions;

/** EC2 and Application Auto Scaling policies: their actions repeat while the alarm stays in the state. */
const isAutoScaling = (arn: string): boolean => /^arn:aws[a-z-]*:autoscaling:/.test(arn);

function checkTags(tags: readonly Tag[] | undefined): void {
  const keys = (tags ?? []).map((t) => t.Key);
  if (new Set(keys).size !== keys.length) throw invalidCombination('The tag keys of a request must be unique.');
  for (const k of keys) if (k.toLowerCase().startsWith('aws:')) throw invalidParameter(`The tag key ${k} is invalid: keys beginning with aws: are reserved.`);
}
