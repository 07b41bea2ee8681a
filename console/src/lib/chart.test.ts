import { describe, expect, it } from 'vitest';
import { frameFor, niceCeil, polyline } from './chart.js';

describe('chart scaling', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0.3, 1, 1.2, 3, 7, 42, 100, 101].map(niceCeil)).toEqual([0.5, 1, 2, 5, 10, 50, 100, 200]);
    expect(niceCeil(0)).toBe(1);
  });

  it('maps time to x and value to y, upwards', () => {
    const points = [
      { t: 0, v: 0 },
      { t: 10, v: 50 },
    ];
    const f = frameFor([points], 100, 40, 1);
    expect(f.vMax).toBe(50);
    expect(polyline(points, f)).toBe('0,40 100,0');
  });
});
