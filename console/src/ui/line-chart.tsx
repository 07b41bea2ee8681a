import { frameFor, polyline, type Point } from '../lib/chart.js';
import { formatLocal } from '../lib/time.js';

const W = 480;
const H = 120;

/** A small SVG line chart (no chart library: a polyline per series and an axis label). */
export function LineChart(props: { title: string; unit: string; series: readonly { label: string; points: readonly Point[] }[]; minMax?: number }) {
  const frame = frameFor(
    props.series.map((s) => s.points),
    W,
    H,
    props.minMax,
  );
  const empty = props.series.every((s) => s.points.length === 0);
  const last = props.series.map((s) => `${s.label} ${s.points.at(-1)?.v.toFixed(1) ?? '—'}${props.unit}`).join(', ');
  return (
    <figure class="chart">
      <figcaption>
        {props.title} <span class="muted small">{empty ? 'no data points yet' : `latest: ${last}`}</span>
      </figcaption>
      <svg viewBox={`-30 -8 ${W + 40} ${H + 24}`} role="img" aria-label={`${props.title}: ${empty ? 'no data' : last}`}>
        <line x1={0} y1={H} x2={W} y2={H} class="axis" />
        <line x1={0} y1={0} x2={0} y2={H} class="axis" />
        <text x={-4} y={6} class="tick" text-anchor="end">
          {frame.vMax}
        </text>
        <text x={-4} y={H} class="tick" text-anchor="end">
          0
        </text>
        {!empty && (
          <>
            <text x={0} y={H + 14} class="tick">
              {formatLocal(new Date(frame.t0)).slice(11, 16)}
            </text>
            <text x={W} y={H + 14} class="tick" text-anchor="end">
              {formatLocal(new Date(frame.t1)).slice(11, 16)}
            </text>
          </>
        )}
        {props.series.map((s, i) => (
          <polyline key={s.label} points={polyline(s.points, frame)} class={`series s${i}`} />
        ))}
        {/* The latest point of each series, so that a single minute of data shows too. */}
        {props.series.map((s, i) => {
          const last = s.points.at(-1);
          if (!last) return null;
          const [x, y] = polyline([last], frame).split(',');
          return <circle key={`${s.label}-last`} cx={x} cy={y} r={3} class={`dot s${i}`} />;
        })}
      </svg>
      <div class="legend">
        {props.series.map((s, i) => (
          <span key={s.label} class={`key s${i}`}>
            {s.label}
          </span>
        ))}
      </div>
    </figure>
  );
}
