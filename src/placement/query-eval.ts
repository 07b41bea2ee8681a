/**
 * Evaluation of a parsed cluster query against one instance snapshot. Subjects with several values
 * (`task:group`: one per task) satisfy a positive operator when any value does; the negative
 * operators (`!=`, `!in`, `!~`, `!exists`) are exactly the negation of their positive form, so
 * `task:group != database` selects instances that host no task of that group. A comparison on an
 * attribute the instance lacks is false (and its negation true).
 */
import { Operator, SubjectKind, type Comparison, type Expression } from './query-ast.js';
import type { InstanceSnapshot } from './types.js';

const DAY_MS = 86_400_000;

const NEGATION: Partial<Record<Operator, Operator>> = {
  [Operator.Ne]: Operator.Eq,
  [Operator.NotIn]: Operator.In,
  [Operator.NotMatches]: Operator.Matches,
  [Operator.NotExists]: Operator.Exists,
};

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Orders dotted versions numerically part by part (1.9.0 < 1.14.5), text parts as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.-]/);
  const pb = b.replace(/^v/, '').split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const d = NUMBER.test(x) && NUMBER.test(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Attributes are text; two numbers compare as numbers. */
function compareText(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Math.sign(Number(a) - Number(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

function ordered(op: Operator, d: number): boolean {
  switch (op) {
    case Operator.Eq:
      return d === 0;
    case Operator.Gt:
      return d > 0;
    case Operator.Ge:
      return d >= 0;
    case Operator.Lt:
      return d < 0;
    case Operator.Le:
      return d <= 0;
    default:
      return false;
  }
}

/** Whether one value satisfies a positive operator. */
function test(c: Comparison, op: Operator, value: string, compare: (a: string, b: string) => number): boolean {
  switch (op) {
    case Operator.In:
      return c.args.includes(value);
    case Operator.Matches:
      return c.regex!.test(value);
    case Operator.Eq:
      return value === c.args[0];
    default:
      return ordered(op, compare(value, c.args[0]!));
  }
}

/** The values a subject has on an instance; undefined when it has none at all (a missing attribute). */
function valuesOf(c: Comparison, i: InstanceSnapshot): readonly string[] | undefined {
  switch (c.subject.kind) {
    case SubjectKind.Attribute: {
      const name = c.subject.name!;
      if (!Object.prototype.hasOwnProperty.call(i.attributes, name)) return undefined;
      const v = i.attributes[name];
      return v === undefined ? [] : [v];
    }
    case SubjectKind.TaskGroup:
      return i.taskGroups.length ? i.taskGroups : undefined;
    case SubjectKind.AgentConnected:
      return [String(i.agentConnected)];
    case SubjectKind.AgentVersion:
      return [i.agentVersion];
    case SubjectKind.Ec2InstanceId:
      return [i.ec2InstanceId];
    default:
      return undefined;
  }
}

function positive(c: Comparison, op: Operator, i: InstanceSnapshot): boolean {
  if (c.subject.kind === SubjectKind.RunningTasksCount) return ordered(op, Math.sign(i.runningTasksCount - Number(c.args[0])));
  if (c.subject.kind === SubjectKind.RegisteredAt) {
    const unit = c.dayPrecision ? DAY_MS : 1000;
    return ordered(op, Math.sign(Math.floor(i.registeredAt / unit) * unit - c.time!));
  }
  const values = valuesOf(c, i);
  if (op === Operator.Exists) return values !== undefined;
  if (!values) return false;
  const compare = c.subject.kind === SubjectKind.AgentVersion ? compareVersions : compareText;
  for (const v of values) if (test(c, op, v, compare)) return true;
  return false;
}

/** Whether an instance satisfies a parsed expression. */
export function evaluate(expr: Expression, instance: InstanceSnapshot): boolean {
  switch (expr.type) {
    case 'and':
      return evaluate(expr.left, instance) && evaluate(expr.right, instance);
    case 'or':
      return evaluate(expr.left, instance) || evaluate(expr.right, instance);
    case 'not':
      return !evaluate(expr.operand, instance);
    case 'compare': {
      const negated = NEGATION[expr.op];
      return negated ? !positive(expr, negated, instance) : positive(expr, expr.op, instance);
    }
  }
}
