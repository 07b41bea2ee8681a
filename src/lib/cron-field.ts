/**
 * One field of an AWS cron expression (EventBridge's syntax, which Application Auto Scaling and
 * Secrets Manager share): a comma list of `*`, values, names (`JAN`, `MON`…) and ranges, each
 * with an optional `/step`. The values it names, each between `lo` and `hi`; a problem is thrown
 * as `fail(message)`, so each caller answers in its own API's error.
 */
export function cronField(text: string, lo: number, hi: number, names: readonly string[], fail: (message: string) => Error, unsupported = ''): Set<number> {
  const out = new Set<number>();
  const value = (s: string): number => {
    const i = names.indexOf(s.toUpperCase());
    const n = i >= 0 ? i + 1 : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!(n >= lo && n <= hi)) throw fail(`Invalid cron field value: ${s} (allowed ${lo}-${hi}).`);
    return n;
  };
  for (const item of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw fail(`Unsupported cron field: ${text}${unsupported}.`);
    const [range, step] = [m[1]!, m[2] === undefined ? 1 : Number(m[2])];
    if (step < 1) throw fail(`Invalid cron step: ${item}`);
    let [from, to] = [lo, hi];
    if (range !== '*') {
      const [a, b] = range.split('-');
      from = value(a!);
      to = b === undefined ? (m[2] === undefined ? from : hi) : value(b);
      if (to < from) throw fail(`Invalid cron range: ${item}`);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}
