import fc from 'fast-check';
import type { ServiceModel } from '../../src/aws-model/service-model.js';
import { javaPatternToRegExp } from '../../src/aws-model/java-pattern.js';

// Characters every ECS/STS pattern of a generated shape accepts, astral letter included so that
// lengths are measured in code points.
const PATTERN_SAFE = ['a', 'Z', '0', '9', '_', '.', ':', '/', '=', '+', '-', '@', ' ', 'é', '日', '𝒜'];

/**
 * Values of `shapeName` built to satisfy every modelled constraint, with noise AWS ignores (unknown
 * members, null optional members). Strings are at most `longest` characters where the model allows
 * that, so that a request stays small.
 */
export function arbitraryOf(model: ServiceModel, shapeName: string, depth = 0, longest = Infinity): fc.Arbitrary<unknown> {
  const shape = model.shapes[shapeName]!;
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return fc.jsonValue();
      const required = new Set(shape.required ?? []);
      const members: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, ref] of Object.entries(shape.members)) {
        if (depth > 8 && !required.has(name)) continue;
        const value = arbitraryOf(model, ref.shape, depth + 1, longest);
        members[name] = required.has(name) ? value : fc.oneof(value, fc.constant(null));
      }
      const extraKey = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !(k in members) && k !== '__proto__');
      return fc
        .tuple(fc.record(members, { requiredKeys: [...required] }), fc.dictionary(extraKey, fc.jsonValue(), { maxKeys: 2 }))
        .map(([known, extra]) => ({ ...extra, ...known }));
    }
    case 'list': {
      const min = shape.min ?? 0;
      return fc.array(arbitraryOf(model, shape.member.shape, depth + 1, longest), {
        minLength: min,
        maxLength: Math.min(shape.max ?? Infinity, min + (depth > 4 ? 1 : 3)),
      });
    }
    case 'map': {
      const key = arbitraryOf(model, shape.key.shape, depth + 1, longest).filter(
        (k): k is string => typeof k === 'string' && k !== '__proto__',
      );
      const min = shape.min ?? 0;
      return fc.dictionary(key, arbitraryOf(model, shape.value.shape, depth + 1, longest), {
        minKeys: min,
        maxKeys: Math.min(shape.max ?? Infinity, min + 3),
      });
    }
    case 'string': {
      if (shape.enum) return fc.constantFrom(...shape.enum);
      const min = shape.min ?? 0;
      const max = Math.max(min, Math.min(shape.max ?? min + 24, longest));
      const matching = shape.pattern === undefined ? undefined : patternArbitrary(shape.pattern, min, max);
      if (matching) return matching;
      const unit = shape.pattern === undefined ? 'binary' : fc.constantFrom(...PATTERN_SAFE);
      // Now and then exactly the longest value allowed.
      return fc.oneof(
        fc.string({ unit, minLength: min, maxLength: Math.min(max, min + 24) }),
        fc.string({ unit, minLength: max, maxLength: max }),
      );
    }
    case 'integer':
      return fc.integer({ min: Math.max(shape.min ?? -(2 ** 31), -(2 ** 31)), max: Math.min(shape.max ?? 2 ** 31 - 1, 2 ** 31 - 1) });
    case 'long':
      return fc.integer({ min: shape.min ?? Number.MIN_SAFE_INTEGER, max: shape.max ?? Number.MAX_SAFE_INTEGER });
    case 'double':
    case 'float':
      return fc.double({ min: shape.min, max: shape.max, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'timestamp':
      return fc.oneof(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
      );
    case 'blob':
      return fc
        .uint8Array({ minLength: shape.min ?? 0, maxLength: Math.min(shape.max ?? 16, 16) })
        .map((bytes) => Buffer.from(bytes).toString('base64'));
  }
}

const matchers = new Map<string, fc.Arbitrary<string> | undefined>();

/**
 * Strings matching a model's pattern and length bounds, from fast-check's regex generator; undefined
 * when it cannot read the pattern or too few of its strings fit the bounds (then the caller falls
 * back to characters every pattern of the ECS and STS models accepts).
 */
function patternArbitrary(pattern: string, min: number, max: number): fc.Arbitrary<string> | undefined {
  const key = `${min}/${max}/${pattern}`;
  if (matchers.has(key)) return matchers.get(key);
  const regex = javaPatternToRegExp(pattern);
  let arbitrary: fc.Arbitrary<string> | undefined;
  if (regex) {
    const fits = (s: string): boolean => {
      const length = [...s].length;
      return length >= min && length <= max && regex.test(s);
    };
    try {
      const candidates = fc.stringMatching(regex, { size: 'small' });
      // Filtered only when most candidates pass, so that the filter never starves.
      if (fc.sample(candidates, { numRuns: 40, seed: 1 }).filter(fits).length >= 20) arbitrary = candidates.filter(fits);
    } catch {
      // fast-check cannot generate from this pattern (lookaheads, the i flag).
    }
  }
  matchers.set(key, arbitrary);
  return arbitrary;
}
