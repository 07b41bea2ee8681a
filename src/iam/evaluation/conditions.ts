import { BlockList, isIP } from 'node:net';
import { arnMatch, wildcardMatch } from './wildcard.js';

/**
 * A statement's Condition block against the request context. Keys compare without regard to case;
 * every operator in a block and every key under an operator must hold (AND); the values listed
 * for one key are alternatives (OR). `…IfExists` holds when the key is absent; `ForAnyValue:` and
 * `ForAllValues:` qualify multi-valued keys; the negated operators hold for an absent key, as IAM
 * evaluates them.
 */

/** Context key (any case) → its values. */
export type RequestContext = ReadonlyMap<string, readonly string[]>;

export interface ConditionOutcome {
  holds: boolean;
  /** Keys the block reads that the context does not have. */
  missing: string[];
}

type Compare = (actual: string, expected: string) => boolean;

const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));
const date = (s: string): number => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));

// Positive comparisons; a `Not` operator is the negation of its positive one.
const COMPARE: Record<string, Compare> = {
  stringequals: (a, e) => a === e,
  stringequalsignorecase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  stringlike: (a, e) => wildcardMatch(e, a),
  numericequals: (a, e) => num(a) === num(e),
  numericlessthan: (a, e) => num(a) < num(e),
  numericlessthanequals: (a, e) => num(a) <= num(e),
  numericgreaterthan: (a, e) => num(a) > num(e),
  numericgreaterthanequals: (a, e) => num(a) >= num(e),
  dateequals: (a, e) => date(a) === date(e),
  datelessthan: (a, e) => date(a) < date(e),
  datelessthanequals: (a, e) => date(a) <= date(e),
  dategreaterthan: (a, e) => date(a) > date(e),
  dategreaterthanequals: (a, e) => date(a) >= date(e),
  bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  arnequals: (a, e) => arnMatch(e, a),
  arnlike: (a, e) => arnMatch(e, a),
  ipaddress: (a, e) => ipInRange(a, e),
};

/** Whether an address lies in a CIDR range (or equals a bare address), IPv4 or IPv6. */
function ipInRange(address: string, range: string): boolean {
  const family = isIP(address);
  const [net, bits] = range.trim().split('/');
  if (family === 0 || isIP(net ?? '') !== family) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(net!, prefix, type);
  return list.check(address, type);
}

const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  numericnotequals: 'numericequals',
  datenotequals: 'dateequals',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
  notipaddress: 'ipaddress',
};

/** Whether the operator is one this evaluator knows (an unknown one never holds). */
export function knownOperator(operator: string): boolean {
  const op = parseOperator(operator);
  return op.base === 'null' || Object.hasOwn(COMPARE, op.base) || Object.hasOwn(NEGATED, op.base);
}

interface Operator {
  base: string;
  ifExists: boolean;
  set?: 'any' | 'all';
}

function parseOperator(operator: string): Operator {
  let text = operator.toLowerCase();
  let set: Operator['set'];
  if (text.startsWith('foranyvalue:')) {
    set = 'any';
    text = text.slice('foranyvalue:'.length);
  } else if (text.startsWith('forallvalues:')) {
    set = 'all';
    text = text.slice('forallvalues:'.length);
  }
  const ifExists = text.endsWith('ifexists');
  if (ifExists) text = text.slice(0, -'ifexists'.length);
  return { base: text, ifExists, ...(set && { set }) };
}

function lookup(context: RequestContext, key: string): readonly string[] | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of context) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Evaluates a Condition block (operator → key → values). */
export function evaluateConditions(
  block: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>,
  context: RequestContext,
): ConditionOutcome {
  const missing: string[] = [];
  let holds = true;
  for (const [operator, keys] of Object.entries(block)) {
    const op = parseOperator(operator);
    for (const [key, expected] of Object.entries(keys)) {
      const actual = lookup(context, key);
      if (actual === undefined && op.base !== 'null' && !op.ifExists) missing.push(key);
      if (!holdsFor(op, actual, expected)) holds = false;
    }
  }
  return { holds, missing };
}

function holdsFor(op: Operator, actual: readonly string[] | undefined, expected: readonly string[]): boolean {
  if (op.base === 'null') {
    // Null: true means "the key is absent", false "the key is present".
    const absent = actual === undefined || actual.length === 0;
    return expected.some((e) => (e.toLowerCase() === 'true') === absent);
  }
  const negatedOf = Object.hasOwn(NEGATED, op.base) ? NEGATED[op.base] : undefined;
  const compare = COMPARE[negatedOf ?? op.base];
  if (!compare) return false;
  if (actual === undefined || actual.length === 0) {
    if (op.ifExists) return true;
    // An absent key matches nothing: the negated operators hold, ForAllValues holds vacuously.
    return negatedOf !== undefined || op.set === 'all';
  }
  const matchesOne = (value: string) => expected.some((e) => compare(value, e));
  if (op.set === 'all') return actual.every((v) => (negatedOf ? !matchesOne(v) : matchesOne(v)));
  if (op.set === 'any') return actual.some((v) => (negatedOf ? !matchesOne(v) : matchesOne(v)));
  // A single-valued key: its (first) value against the alternatives.
  const positive = actual.some(matchesOne);
  return negatedOf ? !positive : positive;
}
