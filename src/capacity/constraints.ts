/**
 * ECS `memberOf` placement expressions over container-instance attributes (the cluster query
 * language's attribute part): `attribute:ecs.instance-type == c7i.large`,
 * `attribute:ecs.instance-type =~ c7*`, `attribute:ecs.availability-zone in [a, b]`,
 * `attribute:stack exists`, joined by `and` / `or` (`and` binds tighter), optionally `not(...)`.
 */
import { invalidParameter } from '../lib/errors.js';

/** Attributes of a node, as ECS exposes them to placement. */
export type Attributes = Readonly<Record<string, string>>;

/** A compiled expression. */
export type Predicate = (attributes: Attributes) => boolean;

const cache = new Map<string, Predicate>();

/** Compiles (and caches) a memberOf expression; throws InvalidParameter for unsupported syntax. */
export function compileMemberOf(expression: string): Predicate {
  const hit = cache.get(expression);
  if (hit) return hit;
  const alternatives = expression.split(/\s+or\s+/i).map((alt) => alt.split(/\s+and\s+/i).map((term) => compileTerm(term.trim(), expression)));
  const predicate: Predicate = (a) => alternatives.some((all) => all.every((p) => p(a)));
  cache.set(expression, predicate);
  return predicate;
}

function compileTerm(term: string, expression: string): Predicate {
  const negated = /^not\s*\((.*)\)$/i.exec(term);
  if (negated) {
    const inner = compileTerm(negated[1]!.trim(), expression);
    return (a) => !inner(a);
  }
  const m = /^attribute:([\w.-]+)\s*(==|!=|=~|!~|>=|<=|>|<|equals|not_equals|in|not_in|exists|not_exists)\s*(.*)$/i.exec(term);
  if (!m) throw invalidParameter(`unsupported placement expression "${expression}": only attribute:<name> comparisons are understood here`);
  const [, name, rawOp, rawValue] = m as unknown as [string, string, string, string];
  const op = rawOp.toLowerCase();
  const value = rawValue.trim();
  switch (op) {
    case 'exists':
      return (a) => a[name] !== undefined;
    case 'not_exists':
      return (a) => a[name] === undefined;
    case '==':
    case 'equals':
      return (a) => a[name] === value;
    case '!=':
    case 'not_equals':
      return (a) => a[name] !== value;
    case '=~':
    case '!~': {
      const re = new RegExp(`^${value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      return op === '=~' ? (a) => re.test(a[name] ?? '') : (a) => !re.test(a[name] ?? '');
    }
    case 'in':
    case 'not_in': {
      const list = /^\[(.*)\]$/.exec(value);
      if (!list) throw invalidParameter(`"${term}": ${op} needs a [list]`);
      const set = new Set(list[1]!.split(',').map((s) => s.trim()).filter(Boolean));
      return op === 'in' ? (a) => set.has(a[name] ?? '') : (a) => !set.has(a[name] ?? '');
    }
    default: {
      const limit = Number(value);
      if (!Number.isFinite(limit)) throw invalidParameter(`"${term}": ${op} needs a number`);
      const cmp = { '>': (x: number) => x > limit, '>=': (x: number) => x >= limit, '<': (x: number) => x < limit, '<=': (x: number) => x <= limit }[op]!;
      return (a) => a[name] !== undefined && cmp(Number(a[name]));
    }
  }
}

/** The standard ECS attributes a new container instance of this offering would carry. */
export function standardAttributes(instanceType: string, zone: string, arch: string, extra: Attributes = {}): Attributes {
  return {
    ...extra,
    'ecs.instance-type': instanceType,
    'ecs.availability-zone': zone,
    'ecs.cpu-architecture': arch,
    'ecs.os-type': 'linux',
  };
}
