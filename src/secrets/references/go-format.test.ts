import { describe, expect, it } from 'vitest';
import { goFloat, goFormat } from './go-format.js';

describe("Go's %v of decoded JSON", () => {
  it.each([
    [5432, '5432'],
    [1.5, '1.5'],
    [100000, '100000'],
    [1000000, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-42, '-42'],
    [1e21, '1e+21'],
    [0, '0'],
  ])('%d → %s', (value, text) => {
    expect(goFloat(value)).toBe(text);
  });

  it('prints strings raw, booleans, null, lists and maps (sorted) as fmt does', () => {
    expect(goFormat('p@ss')).toBe('p@ss');
    expect(goFormat(true)).toBe('true');
    expect(goFormat(null)).toBe('<nil>');
    expect(goFormat([1, 'a', false])).toBe('[1 a false]');
    expect(goFormat({ b: 2, a: { c: 'x' } })).toBe('map[a:map[c:x] b:2]');
  });
});
