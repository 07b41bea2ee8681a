/** Turning series into SVG coordinates, pure. */

export interface Point {
  t: number;
  v: number;
}

export interface Frame {
  width: number;
  height: number;
  t0: number;
  t1: number;
  /** The top of the value axis (the bottom is 0). */
  vMax: number;
}

/** A frame that fits every point, the value axis rounded up to a 1/2/5 step. */
export function frameFor(series: readonly (readonly Point[])[], width: number, height: number, minMax = 1): Frame {
  const all = series.flat();
  const t0 = all.length ? Math.min(...all.map((p) => p.t)) : 0;
  const t1 = all.length ? Math.max(...all.map((p) => p.t)) : 1;
  const top = Math.max(minMax, ...all.map((p) => p.v));
  return { width, height, t0, t1: t1 > t0 ? t1 : t0 + 1, vMax: niceCeil(top) };
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `v` (v > 0). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v - 1e-9) return m * p;
  return 10 * p;
}

/** The `points` attribute of an SVG polyline. */
export function polyline(points: readonly Point[], f: Frame): string {
  return points
    .map((p) => {
      const x = ((p.t - f.t0) / (f.t1 - f.t0)) * f.width;
      const y = f.height - (Math.min(p.v, f.vMax) / f.vMax) * f.height;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

const round = (n: number) => Math.round(n * 10) / 10;
