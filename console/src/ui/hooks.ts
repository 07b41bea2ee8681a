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
 * Runs `load` when `deps` change, then again `refreshMs` after each answer (a page left open stays
 * current; a slow answer never overlaps the next call). `refreshMs` may depend on the data: a
 * service of 1,000 tasks is re-read less often than one of ten. The previous data stays on screen
 * while a reload runs, and a late answer to an old call is dropped.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], refreshMs?: number | ((data: T | undefined) => number)): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef({ load, refreshMs });
  latest.current = { load, refreshMs };
  const run = useCallback(() => {
    const mine = ++generation.current;
    clearTimeout(timer.current);
    setState((s) => ({ ...s, loading: true }));
    const again = (data: T | undefined) => {
      const { refreshMs: every } = latest.current;
      const ms = typeof every === 'function' ? every(data) : every;
      if (ms && mine === generation.current) timer.current = setTimeout(() => (document.visibilityState === 'hidden' ? again(data) : run()), ms);
    };
    latest.current.load().then(
      (data) => {
        if (mine !== generation.current) return;
        setState({ data, error: undefined, loading: false });
        again(data);
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        setState((s) => ({ data: s.data, error: error instanceof Error ? error : new Error(String(error)), loading: false }));
        again(undefined);
      },
    );
  }, []);
  useEffect(() => {
    setState({ data: undefined, error: undefined, loading: true });
    run();
    return () => {
      generation.current++;
      clearTimeout(timer.current);
    };
  }, deps);
  return { ...state, reload: run };
}
