/**
 * Go's `fmt.Sprintf("%v", v)` of a value decoded by `encoding/json` into `interface{}`: what the ECS
 * agent injects for a JSON key whose value is not a string (`asm.GetSecretFromASMWithInput`). So a
 * port 5432 is injected as `5432`, 1e6 as `1e+06`, true as `true`, an object as `map[a:1 b:x]`.
 */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return goFloat(value);
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  // Go prints map keys sorted.
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(' ')}]`;
}

/**
 * `strconv.FormatFloat(f, 'g', -1, 64)`: the shortest digits that read back as `f` (JavaScript's
 * `toExponential()` finds the same ones), in exponent form when the decimal exponent is below -4 or
 * at least 6 (Go's rule for the shortest %g), with at least two exponent digits (`1e+06`).
 */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, exp] = f.toExponential().split('e') as [string, string];
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  // Plain notation with the same shortest digits.
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let text: string;
  if (exponent >= 0) {
    text = digits.length > exponent + 1 ? `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}` : digits.padEnd(exponent + 1, '0');
  } else {
    text = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return negative ? `-${text}` : text;
}
