/**
 * CVSS v3.x base scores from vector strings, as the FIRST CVSS v3.1 specification (section 7.1 and
 * Appendix A) computes them. v3.0 vectors take the same formulas: v3.1 changed no base weight, only
 * defined Roundup so that floating point cannot push a score up a tenth (3.0's "smallest number, to
 * one decimal place, equal to or higher than its input" is what it computes, without the error).
 */

/** A parsed CVSS v3.x vector and its base score. */
export interface CvssV3 {
  /** `3.0` or `3.1`, from the vector's prefix. */
  version: '3.0' | '3.1';
  /** The vector as given. */
  vector: string;
  baseScore: number;
}

const ATTACK_VECTOR: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const ATTACK_COMPLEXITY: Record<string, number> = { L: 0.77, H: 0.44 };
/** Privileges Required weighs more when the scope changes (the attacker's privileges reach further). */
const PRIVILEGES_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PRIVILEGES_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const USER_INTERACTION: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };
const BASE_METRICS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

/**
 * The specification's Roundup: the smallest number with one decimal that is at least `value`,
 * computed on integers (Appendix A) so that 4.000000000000001 rounds to 4.0, not 4.1.
 */
export function roundUp(value: number): number {
  const scaled = Math.round(value * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

/**
 * The base metrics of a `CVSS:3.x/...` vector, or undefined when it is not one: another version,
 * a base metric missing or given twice, or a value the metric does not have. Temporal and
 * environmental metrics may follow; the base score does not read them.
 */
function parse(vector: string): { version: '3.0' | '3.1'; metrics: Map<string, string> } | undefined {
  const [prefix, ...parts] = vector.trim().split('/');
  const version = prefix === 'CVSS:3.1' ? '3.1' : prefix === 'CVSS:3.0' ? '3.0' : undefined;
  if (!version) return undefined;
  const metrics = new Map<string, string>();
  for (const part of parts) {
    const [name, value, extra] = part.split(':');
    if (!name || value === undefined || extra !== undefined || metrics.has(name)) return undefined;
    metrics.set(name, value);
  }
  for (const name of BASE_METRICS) if (!metrics.has(name)) return undefined;
  return { version, metrics };
}

/** The base score of a CVSS v3.0 or v3.1 vector (the specification's section 7.1), or undefined when it is not a valid one. */
export function cvssV3(vector: string): CvssV3 | undefined {
  const parsed = parse(vector);
  if (!parsed) return undefined;
  const m = (name: (typeof BASE_METRICS)[number]): string => parsed.metrics.get(name)!;
  const scope = m('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const changed = scope === 'C';
  const weights = [
    ATTACK_VECTOR[m('AV')],
    ATTACK_COMPLEXITY[m('AC')],
    (changed ? PRIVILEGES_CHANGED : PRIVILEGES_UNCHANGED)[m('PR')],
    USER_INTERACTION[m('UI')],
    CIA[m('C')],
    CIA[m('I')],
    CIA[m('A')],
  ];
  if (weights.some((w) => w === undefined)) return undefined;
  const [av, ac, pr, ui, c, i, a] = weights as number[];
  // Impact Sub-Score, then Impact and Exploitability as section 7.1 defines them.
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  let baseScore: number;
  if (impact <= 0) baseScore = 0;
  else if (changed) baseScore = roundUp(Math.min(1.08 * (impact + exploitability), 10));
  else baseScore = roundUp(Math.min(impact + exploitability, 10));
  return { version: parsed.version, vector: vector.trim(), baseScore };
}

/** Amazon Inspector's severity for a CVSS score: its bands (0 is informational). */
export function severityOfScore(score: number): 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  if (score > 0) return 'LOW';
  return 'INFORMATIONAL';
}
