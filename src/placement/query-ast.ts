/**
 * The syntax tree of ECS's cluster query language, and its canonical text. Kept apart from the
 * parser so that the evaluator and the printer depend on shapes only.
 */

/** What a comparison reads from a container instance. */
export const SubjectKind = {
  Attribute: 'attribute',
  AgentConnected: 'agentConnected',
  AgentVersion: 'agentVersion',
  Ec2InstanceId: 'ec2InstanceId',
  RegisteredAt: 'registeredAt',
  RunningTasksCount: 'runningTasksCount',
  TaskGroup: 'task:group',
} as const;
/** One of {@link SubjectKind}. */
export type SubjectKind = (typeof SubjectKind)[keyof typeof SubjectKind];

/** A comparison operator in its symbolic spelling (the word forms parse to these). */
export const Operator = {
  Eq: '==',
  Ne: '!=',
  Gt: '>',
  Ge: '>=',
  Lt: '<',
  Le: '<=',
  Exists: 'exists',
  NotExists: '!exists',
  In: 'in',
  NotIn: '!in',
  Matches: '=~',
  NotMatches: '!~',
} as const;
/** One of {@link Operator}. */
export type Operator = (typeof Operator)[keyof typeof Operator];

/** The subject of a comparison: `name` is set for `attribute:<name>` only. */
export interface Subject {
  kind: SubjectKind;
  name?: string;
}

/** `subject operator [argument]`, with its argument prepared once for evaluation. */
export interface Comparison {
  type: 'compare';
  subject: Subject;
  op: Operator;
  /** The literal arguments as written (one, or the list of `in`/`!in`; none for `exists`). */
  args: string[];
  /** `=~`/`!~`: the argument compiled as a whole-value match. */
  regex?: RegExp;
  /** `registeredAt`: the argument as epoch milliseconds. */
  time?: number;
  /** `registeredAt` against a date without a time: compared by UTC day, not by the millisecond. */
  dayPrecision?: boolean;
}

/** A parsed cluster query: comparisons joined by `and`, `or` and `not`. */
export type Expression =
  | Comparison
  | { type: 'and'; left: Expression; right: Expression }
  | { type: 'or'; left: Expression; right: Expression }
  | { type: 'not'; operand: Expression };

const BARE = /^[^\s()[\],'"]+$/;

/** Quotes an argument unless it can be read back bare. */
function literal(s: string): string {
  if (BARE.test(s) && !/^(and|or|not)$/i.test(s) && !s.includes('&&') && !s.includes('||')) return s;
  return s.includes("'") ? `"${s}"` : `'${s}'`;
}

/** Prints an expression in canonical form: parsing the text again gives an equal tree. */
export function formatExpression(e: Expression): string {
  switch (e.type) {
    case 'and':
    case 'or':
      return `(${formatExpression(e.left)} ${e.type} ${formatExpression(e.right)})`;
    case 'not':
      return `not(${formatExpression(e.operand)})`;
    case 'compare': {
      const subject = e.subject.kind === SubjectKind.Attribute ? `attribute:${e.subject.name}` : e.subject.kind;
      if (e.op === Operator.Exists || e.op === Operator.NotExists) return `${subject} ${e.op}`;
      if (e.op === Operator.In || e.op === Operator.NotIn) return `${subject} ${e.op} [${e.args.map(literal).join(', ')}]`;
      return `${subject} ${e.op} ${literal(e.args[0]!)}`;
    }
  }
}
