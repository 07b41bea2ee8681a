import { useState } from 'preact/hooks';
import { ErrorBox } from './status.js';

/**
 * A value hidden until asked for: the call that reads it is made on the click, the value lives in
 * this component's state only (not in the URL, not in storage) and goes when hidden.
 */
export function Reveal(props: { label: string; load: () => Promise<string> }) {
  const [value, setValue] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  if (value !== undefined) {
    return (
      <span class="reveal">
        <code class="secret-value" data-testid="revealed-value">
          {value}
        </code>{' '}
        <button type="button" onClick={() => setValue(undefined)} aria-label={`Hide ${props.label}`}>
          Hide
        </button>
      </span>
    );
  }
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        aria-label={`Reveal ${props.label}`}
        onClick={() => {
          setBusy(true);
          setError(undefined);
          props.load().then(
            (v) => {
              setValue(v);
              setBusy(false);
            },
            (err: unknown) => {
              setError(err instanceof Error ? err : new Error(String(err)));
              setBusy(false);
            },
          );
        }}
      >
        Reveal
      </button>
      <ErrorBox error={error} />
    </span>
  );
}
