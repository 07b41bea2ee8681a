/**
 * The console's URLs, as data: every view has a path under /console/ that can be bookmarked and
 * shared; `parseRoute` and `href` are inverses (tested).
 */

export const BASE = '/console/';

export type Route =
  | { page: 'clusters' }
  | { page: 'login' }
  | { page: 'cluster'; cluster: string }
  | { page: 'service'; cluster: string; service: string }
  | { page: 'task'; cluster: string; task: string }
  | { page: 'log-groups' }
  | { page: 'log-group'; group: string }
  | { page: 'task-definitions' }
  | { page: 'task-definition'; family: string }
  | { page: 'repositories' }
  | { page: 'repository'; repository: string }
  | { page: 'secrets' }
  | { page: 'cost' }
  | { page: 'not-found'; path: string };

const seg = (s: string) => encodeURIComponent(s);

/** The path of a route (no query: views keep their own state there). */
export function href(route: Route): string {
  switch (route.page) {
    case 'clusters':
      return BASE;
    case 'login':
      return `${BASE}login`;
    case 'cluster':
      return `${BASE}clusters/${seg(route.cluster)}`;
    case 'service':
      return `${BASE}clusters/${seg(route.cluster)}/services/${seg(route.service)}`;
    case 'task':
      return `${BASE}clusters/${seg(route.cluster)}/tasks/${seg(route.task)}`;
    case 'log-groups':
      return `${BASE}logs`;
    case 'log-group':
      return `${BASE}logs/${seg(route.group)}`;
    case 'task-definitions':
      return `${BASE}task-definitions`;
    case 'task-definition':
      return `${BASE}task-definitions/${seg(route.family)}`;
    case 'repositories':
      return `${BASE}repositories`;
    case 'repository':
      return `${BASE}repositories/${seg(route.repository)}`;
    case 'secrets':
      return `${BASE}secrets`;
    case 'cost':
      return `${BASE}cost`;
    case 'not-found':
      return route.path;
  }
}

/** The route of a path (percent-encoded, as in location.pathname). */
export function parseRoute(pathname: string): Route {
  if (!pathname.startsWith(BASE)) return pathname === BASE.slice(0, -1) ? { page: 'clusters' } : { page: 'not-found', path: pathname };
  let parts: string[];
  try {
    parts = pathname.slice(BASE.length).split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch {
    return { page: 'not-found', path: pathname };
  }
  const [a, b, c, d, ...rest] = parts;
  if (rest.length > 0) return { page: 'not-found', path: pathname };
  if (a === undefined) return { page: 'clusters' };
  if (a === 'login' && b === undefined) return { page: 'login' };
  if (a === 'clusters') {
    if (b === undefined) return { page: 'clusters' };
    if (c === undefined) return { page: 'cluster', cluster: b };
    if (c === 'services' && d !== undefined) return { page: 'service', cluster: b, service: d };
    if (c === 'tasks' && d !== undefined) return { page: 'task', cluster: b, task: d };
  }
  if (c === undefined && d === undefined) {
    if (a === 'logs') return b === undefined ? { page: 'log-groups' } : { page: 'log-group', group: b };
    if (a === 'task-definitions') return b === undefined ? { page: 'task-definitions' } : { page: 'task-definition', family: b };
    if (a === 'repositories') return b === undefined ? { page: 'repositories' } : { page: 'repository', repository: b };
    if (a === 'secrets' && b === undefined) return { page: 'secrets' };
    if (a === 'cost' && b === undefined) return { page: 'cost' };
  }
  return { page: 'not-found', path: pathname };
}
