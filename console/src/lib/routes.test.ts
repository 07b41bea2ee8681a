import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from './routes.js';

const name = fc.string({ minLength: 1, maxLength: 20 });
const route: fc.Arbitrary<Route> = fc.oneof(
  fc.constant({ page: 'clusters' as const }),
  name.map((cluster) => ({ page: 'cluster' as const, cluster })),
  fc.record({ page: fc.constant('service' as const), cluster: name, service: name }),
  fc.record({ page: fc.constant('task' as const), cluster: name, task: name }),
  name.map((group) => ({ page: 'log-group' as const, group })),
  name.map((family) => ({ page: 'task-definition' as const, family })),
  name.map((repository) => ({ page: 'repository' as const, repository })),
  fc.constantFrom<Route>({ page: 'log-groups' }, { page: 'task-definitions' }, { page: 'repositories' }, { page: 'secrets' }, { page: 'cost' }, { page: 'login' }),
);

describe('console URLs', () => {
  it('parse back to the route they were made from, whatever the names hold', () => {
    fc.assert(
      fc.property(route, (r) => {
        expect(parseRoute(href(r))).toEqual(r);
      }),
    );
  });

  it('keep a log group name with slashes in one path segment', () => {
    expect(href({ page: 'log-group', group: '/ecs/web' })).toBe('/console/logs/%2Fecs%2Fweb');
    expect(parseRoute('/console/logs/%2Fecs%2Fweb')).toEqual({ page: 'log-group', group: '/ecs/web' });
  });

  it('answer not found for anything else', () => {
    expect(parseRoute('/console/clusters/a/b')).toEqual({ page: 'not-found', path: '/console/clusters/a/b' });
    expect(parseRoute('/console/%E0%A4%A')).toMatchObject({ page: 'not-found' });
    expect(parseRoute('/console')).toEqual({ page: 'clusters' });
  });
});
