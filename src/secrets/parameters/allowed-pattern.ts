import { invalidAllowedPattern, patternMismatch } from './errors.js';

/**
 * AllowedPattern: a regular expression the whole value must match (Parameter Store applies Java's
 * `matches`, so `\d{1,4}` refuses `10000`). The pattern is compiled as a JavaScript expression, which
 * agrees with Java's for the patterns people write (classes, quantifiers, anchors, groups).
 */
export function checkAllowedPattern(pattern: string, value: string): void {
  const regex = compile(pattern);
  if (!regex) throw invalidAllowedPattern(`The parameter doesn't meet the regular expression requirement: ${pattern} is not a valid pattern.`);
  // The message names the pattern only: the value may be secret.
  if (!regex.test(value)) throw patternMismatch(`Parameter value, cannot be validated against allowedPattern: ${pattern}`);
}

function compile(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // Java accepts escapes the `u` flag refuses; try without it.
    }
  }
  return undefined;
}
