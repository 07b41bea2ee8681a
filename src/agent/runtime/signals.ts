import { constants } from 'node:os';
import { invalidParameter } from '../../lib/errors.js';

/** Linux signal numbers by name, from Node's table (same numbers as the kernel's). */
const SIGNALS: Readonly<Record<string, number>> = constants.signals as Readonly<Record<string, number>>;

/**
 * The signal number of `SIGTERM`, `TERM`, `sigterm` or `15` (Docker's STOPSIGNAL forms).
 * Throws an invalid-parameter error for anything else.
 */
export function signalNumber(signal: string): number {
  const s = signal.trim();
  if (/^[0-9]+$/.test(s)) {
    const n = Number(s);
    if (n >= 1 && n <= 64) return n;
    throw invalidParameter(`Invalid signal: ${signal}`);
  }
  const upper = s.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  const rt = /^SIGRTMIN\+([0-9]+)$/.exec(name);
  // Real-time signals are not in Node's table; SIGRTMIN is 34 on Linux.
  if (rt) {
    const n = 34 + Number(rt[1]);
    if (n <= 64) return n;
  }
  const n = SIGNALS[name];
  if (n === undefined) throw invalidParameter(`Invalid signal: ${signal}`);
  return n;
}

/** The name (`SIGTERM`) of a signal number, or `SIG<n>` when it has none. */
export function signalName(n: number): string {
  for (const [name, value] of Object.entries(SIGNALS)) if (value === n) return name;
  return `SIG${n}`;
}
