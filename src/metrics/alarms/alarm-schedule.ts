import type { MetricService } from '../metric-service.js';
import { HISTORY_MS, type AlarmStore } from './alarm-store.js';
import { Arrivals, metricKey } from './data-arrivals.js';

export interface ScheduleOptions {
  /** The time of a round (tests). */
  readonly clock?: () => Date;
  /** The marks of the clock at which rounds run (ms; CloudWatch's 10 s). */
  readonly tickMs?: number;
}

/** What the schedule needs of the alarm service. */
export interface ScheduledAlarms {
  evaluate(now: Date, which: { subMinuteOnly?: boolean; only?: ReadonlySet<string> }): Promise<unknown>;
  readonly store: Pick<AlarmStore, 'all' | 'expireHistory'>;
  readonly metrics: Pick<MetricService, 'onPut'>;
}

/** How long after a mark of the clock a scheduled round starts (ms). */
const MARK_DELAY_MS = 5;

/**
 * Runs an alarm service's evaluation rounds on CloudWatch's schedule (see AlarmService.start)
 * until the returned function is called; it resolves once the round in progress has ended.
 */
export function startAlarmSchedule(
  alarms: ScheduledAlarms,
  onError: (err: unknown) => void,
  { clock = () => new Date(), tickMs = 10_000 }: ScheduleOptions = {},
): () => Promise<void> {
  let lastMinute = -1;
  let lastExpiry = 0;
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let tickWaiting = false;
  let arrivalWaiting = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const arrivals = new Arrivals();
  const run = (round: () => Promise<void>) => {
    busy = true;
    running = round()
      .catch(onError)
      .finally(() => {
        busy = false;
        if (stopped) return;
        if (tickWaiting) scheduledRound();
        else if (arrivalWaiting) arrivalRound();
      });
  };
  const scheduledRound = () => {
    tickWaiting = false;
    const now = clock();
    const minute = Math.floor(now.getTime() / 60_000);
    const full = minute !== lastMinute;
    lastMinute = minute;
    run(async () => {
      await alarms.evaluate(now, { subMinuteOnly: !full });
      if (now.getTime() - lastExpiry > 3600_000) {
        lastExpiry = now.getTime();
        await alarms.store.expireHistory(now.getTime() - HISTORY_MS);
      }
    });
  };
  const arrivalRound = () => {
    arrivalWaiting = false;
    const now = clock();
    run(async () => {
      const due = arrivals.take(await alarms.store.all(), now.getTime());
      if (due.size > 0) await alarms.evaluate(now, { only: due });
    });
  };
  const tick = () => {
    schedule();
    if (busy) tickWaiting = true;
    else scheduledRound();
  };
  const schedule = () => {
    // At the next mark of the wall clock, a little after it: a timer may fire early against Date.now().
    timer = setTimeout(tick, tickMs - (Date.now() % tickMs) + MARK_DELAY_MS);
    timer.unref();
  };
  const stopListening = alarms.metrics.onPut((region, namespace, data) => {
    const now = clock().getTime();
    for (const d of data) arrivals.add(metricKey(region, namespace, d.metricName, d.dimensions), d.timestamp, now);
    if (arrivals.size === 0 || arrivalWaiting) return;
    arrivalWaiting = true;
    // After the put's caller has finished its batch; behind a round in progress.
    setImmediate(() => {
      if (!stopped && !busy && arrivalWaiting) arrivalRound();
    });
  });
  schedule();
  return async () => {
    stopped = true;
    stopListening();
    if (timer) clearTimeout(timer);
    await running;
  };
}
