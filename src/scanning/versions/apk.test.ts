import { describe, expect, it } from 'vitest';
import { compareApk, isValidApkVersion } from './apk.js';

/** Each list is in strictly increasing order, as apk-tools orders it. */
const ASCENDING = [
  ['1.1_alpha', '1.1_alpha1', '1.1_beta', '1.1_pre1', '1.1_rc1', '1.1', '1.1-r1', '1.1_cvs', '1.1_git20240101', '1.1_p1', '1.1a', '1.1.1'],
  ['0.1.0_alpha', '0.1.3_alpha', '0.1.3'],
  ['1.01', '1.1', '1.2', '1.10'],
  ['2.4.2-r0', '2.4.2-r1', '2.4.2-r10', '2.4.3-r0'],
  ['1.2.3_rc1-r0', '1.2.3-r0', '1.2.3_p1-r0', '1.2.3_p2-r0'],
  ['3.1.4-r5', '3.1.4a-r0', '3.1.4b-r0'],
  ['1.36.1-r15', '1.36.1-r19', '1.37.0-r0'],
] as const;

describe('compareApk', () => {
  it.each(ASCENDING.map((list) => [list.join(' < '), list]))('%s', (_, list) => {
    for (let i = 0; i < list.length; i++) {
      for (let j = 0; j < list.length; j++) {
        expect(Math.sign(compareApk(list[i]!, list[j]!)), `${list[i]} vs ${list[j]}`).toBe(Math.sign(i - j));
      }
    }
  });

  it('reads a dotted part with a leading zero as apk-tools 2 does', () => {
    // apk-tools 2 reads `.0` as a fraction token followed by more digits, so `_alpha` after a `.0`
    // part is not a pre-release of it; this is the order apk itself uses on upgrades.
    expect(compareApk('1.0_alpha', '1.0')).toBe(1);
    expect(compareApk('1.0_alpha', '1.0_beta')).toBe(-1);
    expect(compareApk('1.0.0_rc1', '1.0.1')).toBe(-1);
  });

  it('equal versions', () => {
    expect(compareApk('1.0-r0', '1.0-r0')).toBe(0);
    expect(compareApk('1.2.3', '1.2.3')).toBe(0);
  });

  it('knows a valid version', () => {
    expect(isValidApkVersion('1.2.3_rc1-r0')).toBe(true);
    expect(isValidApkVersion('1.2.3-1')).toBe(false);
  });
});
