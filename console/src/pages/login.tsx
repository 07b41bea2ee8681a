import { useState } from 'preact/hooks';
import { AwsClient } from '../aws/client.js';
import type { Credentials } from '../aws/signer.js';
import { callerIdentity } from '../aws/sts.js';
import { ErrorBox } from '../ui/status.js';

/**
 * Signing in: the access key, secret and region the CLI uses. They are checked with a signed STS
 * GetCallerIdentity (the endpoint refuses a wrong secret at its signature check), then kept for
 * this tab only.
 */
export function Login(props: { notice: string | undefined; onSignedIn: (credentials: Credentials) => void }) {
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const credentials: Credentials = {
      accessKeyId: String(data.get('accessKeyId') ?? '').trim(),
      secretAccessKey: String(data.get('secretAccessKey') ?? ''),
      region: String(data.get('region') ?? '').trim() || 'us-east-1',
    };
    setBusy(true);
    setError(undefined);
    try {
      await callerIdentity(new AwsClient(credentials));
      props.onSignedIn(credentials);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <h1>minato console</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit(e.currentTarget);
        }}
      >
        {props.notice && <p class="notice">{props.notice}</p>}
        <label>
          Access key ID
          <input name="accessKeyId" required autoComplete="username" spellcheck={false} autoFocus />
        </label>
        <label>
          Secret access key
          <input name="secretAccessKey" type="password" required autoComplete="current-password" />
        </label>
        <label>
          Region
          <input name="region" defaultValue="us-east-1" spellcheck={false} />
        </label>
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p class="muted small">The credentials stay in this tab (session storage) and sign every call; they never go into a URL.</p>
      </form>
    </main>
  );
}
