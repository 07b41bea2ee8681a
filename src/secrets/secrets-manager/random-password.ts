import { randomInt } from 'node:crypto';
import { invalidParameter } from '../../lib/errors.js';

/** The options of GetRandomPassword, with the API's defaults. */
export interface PasswordOptions {
  passwordLength?: number;
  excludeCharacters?: string;
  excludeNumbers?: boolean;
  excludePunctuation?: boolean;
  excludeUppercase?: boolean;
  excludeLowercase?: boolean;
  includeSpace?: boolean;
  requireEachIncludedType?: boolean;
}

/** The character classes of GetRandomPassword; punctuation is the API reference's list. */
export const CharacterClass = {
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  numbers: '0123456789',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
} as const;

/** The default PasswordLength. */
export const DEFAULT_PASSWORD_LENGTH = 32;

/**
 * GetRandomPassword. Characters are drawn with `crypto.randomInt` (uniform, no modulo bias). With
 * RequireEachIncludedType (the default) the password holds at least one character of every included
 * class (lower case, upper case, numbers, punctuation, as the API reference lists them; a space is
 * never required), placed at random positions.
 */
export function randomPassword(options: PasswordOptions = {}): string {
  const length = options.passwordLength ?? DEFAULT_PASSWORD_LENGTH;
  const excluded = new Set(options.excludeCharacters ?? '');
  const keep = (chars: string) => [...chars].filter((c) => !excluded.has(c)).join('');
  const classes = [
    options.excludeLowercase ? '' : keep(CharacterClass.lowercase),
    options.excludeUppercase ? '' : keep(CharacterClass.uppercase),
    options.excludeNumbers ? '' : keep(CharacterClass.numbers),
    options.excludePunctuation ? '' : keep(CharacterClass.punctuation),
  ].filter((c) => c !== '');
  const pool = classes.join('') + (options.includeSpace ? keep(' ') : '');
  if (pool === '') throw invalidParameter('No characters are left to generate a password from; include more character types.');
  const required = options.requireEachIncludedType === false ? [] : classes;
  if (length < required.length) throw invalidParameter('Password length is too short based on the required types.');

  const chars: string[] = [];
  for (let i = 0; i < length; i++) chars.push(pick(pool));
  // One character of each required class, each at its own random position.
  const positions = shuffled(length).slice(0, required.length);
  required.forEach((cls, i) => (chars[positions[i]!] = pick(cls)));
  return chars.join('');
}

const pick = (chars: string): string => chars[randomInt(chars.length)]!;

// The first k of a Fisher-Yates shuffle of 0..n-1 are k distinct uniform positions.
function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
