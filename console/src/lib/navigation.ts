/**
 * History-API navigation: links change the URL without a reload, the back button works, and each
 * view reads its state (filters, sort, page) from the query string so it survives a reload.
 */
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const l of listeners) l();
}

addEventListener('popstate', notify);

/** Goes to a URL of this console (pushes a history entry, or replaces the current one). */
export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (url === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  notify();
}

/** The current location, re-rendering on every change. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { pathname: location.pathname, search: new URLSearchParams(location.search) };
}

/** One query parameter as state: reading it from the URL, writing it back (replacing the entry). */
export function useQueryParam(name: string, fallback = ''): [string, (value: string) => void] {
  const { search } = useLocation();
  const value = search.get(name) ?? fallback;
  const set = (next: string) => {
    const params = new URLSearchParams(location.search);
    if (next === fallback || next === '') params.delete(name);
    else params.set(name, next);
    const query = params.toString();
    navigate(`${location.pathname}${query ? `?${query}` : ''}`, { replace: true });
  };
  return [value, set];
}

/** Link clicks handled in the page (a modified click still opens a new tab as usual). */
export function onLinkClick(event: MouseEvent, url: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(url);
}
