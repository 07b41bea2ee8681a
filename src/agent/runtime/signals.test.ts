import { describe, expect, it } from 'vitest';
import { signalName, signalNumber } from './signals.js';

describe('signalNumber', () => {
  it('accepts names with and without SIG, any case, and numbers', () => {
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('TERM')).toBe(15);
    expect(signalNumber('sigquit')).toBe(3);
    expect(signalNumber('9')).toBe(9);
    expect(signalNumber('SIGRTMIN+3')).toBe(37);
    expect(signalNumber(' SIGKILL ')).toBe(9);
  });

  it('refuses unknown names and out-of-range numbers', () => {
    for (const bad of ['SIGNOPE', '0', '65', '', 'SIGRTMIN+40', '-9', '1.5']) {
      expect(() => signalNumber(bad), bad).toThrow(/Invalid signal/);
    }
  });

  it('names numbers', () => {
    expect(signalName(15)).toBe('SIGTERM');
    expect(signalName(63)).toBe('SIG63');
  });
});
