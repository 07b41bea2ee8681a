import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cvssV3, roundUp, severityOfScore } from './cvss.js';

describe('cvssV3', () => {
  // Published scores (NVD, the specification's examples document). Each was also worked through by
  // hand with section 7.1's formulas; the first, for instance: ISS = 1 - 0.44³ = 0.914816, Impact =
  // 6.42 × ISS = 5.87312, Exploitability = 8.22 × 0.85 × 0.77 × 0.85 × 0.85 = 3.88704, Roundup(9.76016) = 9.8.
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    // Scope changed: 1.08 × (6.04777 + 3.88704) = 10.73 is capped at 10.
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    // 3.5952 + 1.83458 = 5.42978 → 5.5.
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
    // 1.4124 + 1.62015 = 3.03255 → 3.1.
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
    // Heartbleed (CVE-2014-0160): 3.5952 + 3.88704 = 7.48224 → 7.5.
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    // CVE-2013-1937 (phpMyAdmin): 1.08 × (2.72675 + 2.83525) = 6.00696 → 6.1.
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    // CVE-2012-1516: PR:L weighs 0.68 with scope changed; 1.08 × (6.04777 + 3.10963) = 9.88999 → 9.9.
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
    // CVE-2013-0375: 1.08 × (2.72675 + 3.10963) = 6.30329 → 6.4.
    ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
    // No impact, no score.
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ])('%s → %s', (vector, score) => {
    expect(cvssV3(vector)?.baseScore).toBe(score);
  });

  it('keeps the version and ignores temporal and environmental metrics, in any order', () => {
    expect(cvssV3('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C')).toEqual({ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C', baseScore: 9.8 });
    expect(cvssV3('CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H')?.baseScore).toBe(9.8);
  });

  it('refuses what is not a CVSS v3 base vector', () => {
    for (const vector of [
      'AV:N/AC:L/Au:N/C:P/I:P/A:P', // CVSS v2
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', // A missing
      'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:Q/C:H/I:H/A:H',
      'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'HIGH',
    ]) {
      expect(cvssV3(vector)).toBeUndefined();
    }
  });

  const level = fc.constantFrom('N', 'L', 'H');
  const vectors = fc.record({ av: fc.constantFrom('N', 'A', 'L', 'P'), ac: fc.constantFrom('L', 'H'), pr: level, ui: fc.constantFrom('N', 'R'), s: fc.constantFrom('U', 'C'), c: level, i: level, a: level });
  const vectorOf = (v: { av: string; ac: string; pr: string; ui: string; s: string; c: string; i: string; a: string }): string => `CVSS:3.1/AV:${v.av}/AC:${v.ac}/PR:${v.pr}/UI:${v.ui}/S:${v.s}/C:${v.c}/I:${v.i}/A:${v.a}`;

  it('scores every vector between 0 and 10 in tenths, 0 exactly when nothing is impacted', () => {
    fc.assert(
      fc.property(vectors, (v) => {
        const score = cvssV3(vectorOf(v))!.baseScore;
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(10);
        expect(Math.round(score * 10) / 10).toBe(score);
        expect(score === 0).toBe(v.c === 'N' && v.i === 'N' && v.a === 'N');
      }),
    );
  });

  it('never scores lower for a greater impact or an easier attack', () => {
    const up: Record<string, string> = { N: 'L', L: 'H' };
    fc.assert(
      fc.property(vectors, fc.constantFrom('c', 'i', 'a'), (v, metric) => {
        const higher = up[v[metric]];
        if (higher === undefined) return;
        expect(cvssV3(vectorOf({ ...v, [metric]: higher }))!.baseScore).toBeGreaterThanOrEqual(cvssV3(vectorOf(v))!.baseScore);
      }),
    );
    fc.assert(
      fc.property(vectors, (v) => {
        expect(cvssV3(vectorOf({ ...v, ac: 'L' }))!.baseScore).toBeGreaterThanOrEqual(cvssV3(vectorOf({ ...v, ac: 'H' }))!.baseScore);
      }),
    );
  });
});

describe('roundUp', () => {
  it('rounds up to a tenth without floating point pushing an exact tenth up (Appendix A)', () => {
    expect([4.0, 4.000000000000001, 4.02, 4.1, 4.10001, 0, 9.99].map(roundUp)).toEqual([4.0, 4.0, 4.1, 4.1, 4.2, 0, 10]);
  });
});

describe('severityOfScore', () => {
  it('bands scores as Inspector does', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOfScore)).toEqual(['INFORMATIONAL', 'LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
  });
});
