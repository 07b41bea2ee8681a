import { useMemo, useState } from 'preact/hooks';
import { AwsClient } from './aws/client.js';
import { clearCredentials, loadCredentials, saveCredentials } from './aws/session.js';
import type { Credentials } from './aws/signer.js';
import { useLocation } from './lib/navigation.js';
import { parseRoute } from './lib/routes.js';
import { Login } from './pages/login.js';
import { Shell } from './shell.js';
import { AwsContext } from './ui/hooks.js';
import { Page } from './pages/page.js';

/** Signed out: the login form (whatever the URL); signed in: the page the URL names. */
export function App() {
  const [credentials, setCredentials] = useState<Credentials | undefined>(() => loadCredentials());
  const [expired, setExpired] = useState<string | undefined>();
  const current = useLocation();
  const aws = useMemo(
    () =>
      credentials &&
      new AwsClient(credentials, window.location.origin, undefined, (err) => {
        clearCredentials();
        setExpired(`The endpoint refused the credentials (${err.code}). Sign in again.`);
        setCredentials(undefined);
      }),
    [credentials],
  );
  if (!aws || !credentials) {
    return (
      <Login
        notice={expired}
        onSignedIn={(c) => {
          saveCredentials(c);
          setExpired(undefined);
          setCredentials(c);
        }}
      />
    );
  }
  const signOut = () => {
    clearCredentials();
    setCredentials(undefined);
  };
  return (
    <AwsContext.Provider value={aws}>
      <Shell credentials={credentials} onSignOut={signOut}>
        <Page route={parseRoute(current.pathname)} />
      </Shell>
    </AwsContext.Provider>
  );
}
