/** Loading data: a call, its result or error, reloaded on demand or on a timer. */
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { AwsClient } from '../aws/client.js';

export const AwsContext = createContext<AwsClient | undefined>(undefined);

/** The signed-in client (pages render only once there is one). */
export function useAws(): AwsClient {
  const aws = useContext(AwsContext);
  if (!aws) throw new Error('no credentials');
  return aws;
}

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` when `deps` change and every `refreshMs` (a page left open stays current); the
 * previous data stays on screen while a reload runs, and a late answer to an old call is dropped.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], refreshMs?: number): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => mine === generation.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => mine === generation.current && setState((s) => ({ data: s.data, error: error instanceof Error ? error : new Error(String(error)), loading: false })),
    );
  }, []);
  useEffect(() => {
    setState({ data: undefined, error: undefined, loading: true });
    run();
    if (!refreshMs) return undefined;
    const timer = setInterval(() => document.visibilityState === 'visible' && run(), refreshMs);
    return () => clearInterval(timer);
  }, deps);
  return { ...state, reload: run };
}
