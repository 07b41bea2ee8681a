import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharacterClass, randomPassword, type PasswordOptions } from './random-password.js';

const options = fc.record(
  {
    passwordLength: fc.integer({ min: 1, max: 300 }),
    excludeCharacters: fc.string({ maxLength: 40, unit: fc.constantFrom(...'abcXYZ019!@#"\\ _-'.split('')) }),
    excludeNumbers: fc.boolean(),
    excludePunctuation: fc.boolean(),
    excludeUppercase: fc.boolean(),
    excludeLowercase: fc.boolean(),
    includeSpace: fc.boolean(),
    requireEachIncludedType: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** The classes a request includes (non-empty after ExcludeCharacters). */
function includedClasses(o: PasswordOptions): string[] {
  const keep = (chars: string) => [...chars].filter((c) => !(o.excludeCharacters ?? '').includes(c)).join('');
  return [
    o.excludeLowercase ? '' : keep(CharacterClass.lowercase),
    o.excludeUppercase ? '' : keep(CharacterClass.uppercase),
    o.excludeNumbers ? '' : keep(CharacterClass.numbers),
    o.excludePunctuation ? '' : keep(CharacterClass.punctuation),
  ].filter((c) => c !== '');
}

describe('GetRandomPassword', () => {
  it('defaults to 32 characters with every type', () => {
    const password = randomPassword();
    expect(password).toHaveLength(32);
    for (const cls of Object.values(CharacterClass)) expect([...password].some((c) => cls.includes(c))).toBe(true);
    expect(password).not.toContain(' ');
  });

  it('keeps every constraint it is given, or refuses what cannot be satisfied', () => {
    fc.assert(
      fc.property(options, (o) => {
        const classes = includedClasses(o);
        const allowed = classes.join('') + (o.includeSpace && !(o.excludeCharacters ?? '').includes(' ') ? ' ' : '');
        const required = o.requireEachIncludedType === false ? 0 : classes.length;
        const length = o.passwordLength ?? 32;
        if (allowed === '' || length < required) {
          expect(() => randomPassword(o)).toThrow();
          return;
        }
        const password = randomPassword(o);
        expect([...password]).toHaveLength(length);
        for (const c of password) expect(allowed).toContain(c);
        for (const c of o.excludeCharacters ?? '') expect(password).not.toContain(c);
        if (required > 0) for (const cls of classes) expect([...password].some((c) => cls.includes(c))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('uses the length limits of the API and says when the length is too short', () => {
    expect(randomPassword({ passwordLength: 4096 })).toHaveLength(4096);
    expect(() => randomPassword({ passwordLength: 3 })).toThrow('Password length is too short based on the required types.');
    expect(randomPassword({ passwordLength: 1, requireEachIncludedType: false })).toHaveLength(1);
  });

  it('spreads characters over the whole pool', () => {
    const seen = new Set(randomPassword({ passwordLength: 4096, excludePunctuation: true }));
    expect(seen.size).toBe(62);
  });
});
