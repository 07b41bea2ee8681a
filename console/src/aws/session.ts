/**
 * The credentials of this tab: sessionStorage only (gone when the tab closes, never shared with
 * other tabs, never in a URL or a cookie, so they reach no server log or history).
 */
import type { Credentials } from './signer.js';

const KEY = 'minato.console.credentials';

export function loadCredentials(storage: Storage = sessionStorage): Credentials | undefined {
  const raw = storage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Credentials>;
    if (typeof value.accessKeyId === 'string' && typeof value.secretAccessKey === 'string' && typeof value.region === 'string') {
      return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey, region: value.region };
    }
  } catch {
    // A damaged entry is the same as none.
  }
  storage.removeItem(KEY);
  return undefined;
}

export function saveCredentials(credentials: Credentials, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify(credentials));
}

export function clearCredentials(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}
