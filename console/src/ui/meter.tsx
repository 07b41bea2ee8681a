/** Used out of registered, as a bar and as numbers (the numbers are the accessible text). */
export function Meter(props: { used: number; total: number; unit: string }) {
  const share = props.total > 0 ? Math.min(1, props.used / props.total) : 0;
  return (
    <span class="meter-cell">
      <span class="meter" role="img" aria-label={`${Math.round(share * 100)}% used`}>
        <span class={share > 0.9 ? 'fill hot' : 'fill'} style={{ width: `${share * 100}%` }} />
      </span>
      <span class="num">
        {props.used} / {props.total} {props.unit}
      </span>
    </span>
  );
}
