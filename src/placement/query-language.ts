/**
 * ECS's cluster query language (memberOf constraints, ListContainerInstances' filter): parsed once
 * into a tree, then evaluated against many instance snapshots. Syntax per the ECS developer guide:
 * `subject operator [argument]`, compound with `and`/`&&`, `or`/`||`, `not`/`!` and parentheses;
 * `not` binds tightest, then `and`, then `or`.
 */
import { invalidParameter } from '../lib/errors.js';
import { Operator, SubjectKind, type Comparison, type Expression, type Subject } from './query-ast.js';
import { evaluate } from './query-eval.js';
import type { InstanceSnapshot } from './types.js';

export { evaluate } from './query-eval.js';
export { formatExpression, Operator, SubjectKind, type Comparison, type Expression, type Subject } from './query-ast.js';

/** A group containing a quantifier, itself quantified: the shape of catastrophic backtracking. */
const NESTED_QUANTIFIER = /\([^)]*[+*}][^)]*\)\s*[+*{]/;

/** ECS refuses longer expressions. */
export const MAX_EXPRESSION_LENGTH = 2000;

const WORD_OPERATORS: Readonly<Record<string, Operator>> = {
  equals: Operator.Eq,
  not_equals: Operator.Ne,
  greater_than: Operator.Gt,
  greater_than_equal: Operator.Ge,
  less_than: Operator.Lt,
  less_than_equal: Operator.Le,
  exists: Operator.Exists,
  not_exists: Operator.NotExists,
  in: Operator.In,
  not_in: Operator.NotIn,
  matches: Operator.Matches,
  not_matches: Operator.NotMatches,
};
/** Symbolic operators, longest first so that `>=` is not read as `>`. */
const SYMBOLS = ['!exists', '!in', '==', '!=', '>=', '<=', '=~', '!~', '>', '<'] as const;

const EQUALITY: readonly Operator[] = [Operator.Eq, Operator.Ne, Operator.In, Operator.NotIn, Operator.Matches, Operator.NotMatches];
const ORDERING: readonly Operator[] = [Operator.Eq, Operator.Ne, Operator.Gt, Operator.Ge, Operator.Lt, Operator.Le];
/** The operators the guide lists per subject; attributes and task groups take every operator. */
const VALID_OPERATORS: Readonly<Record<SubjectKind, readonly Operator[] | undefined>> = {
  [SubjectKind.Attribute]: undefined,
  [SubjectKind.TaskGroup]: undefined,
  [SubjectKind.AgentConnected]: EQUALITY,
  [SubjectKind.Ec2InstanceId]: EQUALITY,
  [SubjectKind.AgentVersion]: ORDERING,
  [SubjectKind.RegisteredAt]: ORDERING,
  [SubjectKind.RunningTasksCount]: ORDERING,
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?)?$/;
const DAY_MS = 86_400_000;

/** The date formats the guide documents for `registeredAt`; undefined when the text is none of them. */
export function parseQueryDate(text: string): { time: number; precision: number } | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [number, number, number, number, number, number];
  const time = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(time);
  // Date.UTC rolls 2018-02-30 over to March: refuse instead of guessing.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  const zone = m[7];
  const offset = zone && zone !== 'Z' ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000 : 0;
  return m[4] === undefined ? { time, precision: DAY_MS } : { time: time - offset, precision: 1000 };
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  fail(why: string): never {
    throw invalidParameter(`Unable to parse the expression '${this.text}': ${why} at position ${this.pos}.`);
  }

  private ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private peek(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Matches a keyword case-insensitively when a word boundary follows it. */
  private keyword(word: string, nextMayBe = /[\s(]/): boolean {
    const end = this.pos + word.length;
    if (this.text.slice(this.pos, end).toLowerCase() !== word) return false;
    const next = this.text[end];
    if (next !== undefined && !nextMayBe.test(next)) return false;
    this.pos = end;
    return true;
  }

  parse(): Expression {
    this.ws();
    if (this.pos >= this.text.length) this.fail('empty expression');
    const e = this.or();
    this.ws();
    if (this.pos < this.text.length) this.fail(`unexpected '${this.text[this.pos]}'`);
    return e;
  }

  private or(): Expression {
    let left = this.and();
    for (;;) {
      this.ws();
      if (this.peek('||')) this.pos += 2;
      else if (!this.keyword('or')) return left;
      left = { type: 'or', left, right: this.and() };
    }
  }

  private and(): Expression {
    let left = this.unary();
    for (;;) {
      this.ws();
      if (this.peek('&&')) this.pos += 2;
      else if (!this.keyword('and')) return left;
      left = { type: 'and', left, right: this.unary() };
    }
  }

  private unary(): Expression {
    this.ws();
    // `!` alone negates; `!=`, `!~`, `!in`, `!exists` are operators and never start a term.
    if ((this.peek('!') && !/^!(=|~|in\b|exists\b)/.test(this.text.slice(this.pos))) || this.keyword('not')) {
      if (this.peek('!')) this.pos++;
      return { type: 'not', operand: this.unary() };
    }
    if (this.peek('(')) {
      this.pos++;
      const inner = this.or();
      this.ws();
      if (!this.peek(')')) this.fail("missing ')'");
      this.pos++;
      return inner;
    }
    return this.comparison();
  }

  private subject(): Subject {
    const start = this.pos;
    while (this.pos < this.text.length && !/[\s()[\],=!<>~'"]/.test(this.text[this.pos]!)) this.pos++;
    const word = this.text.slice(start, this.pos);
    if (!word) this.fail('expected a subject');
    if (word.startsWith('attribute:') && word.length > 'attribute:'.length) return { kind: SubjectKind.Attribute, name: word.slice('attribute:'.length) };
    const kind = Object.values(SubjectKind).find((k) => k === word && k !== SubjectKind.Attribute);
    if (!kind) {
      this.pos = start;
      this.fail(`unknown subject '${word}'`);
    }
    return { kind };
  }

  private operator(): Operator {
    this.ws();
    const symbol = SYMBOLS.find((s) => this.peek(s) && (!/[a-z]$/.test(s) || !/\w/.test(this.text[this.pos + s.length] ?? '')));
    if (symbol) {
      this.pos += symbol.length;
      return symbol;
    }
    for (const [word, op] of Object.entries(WORD_OPERATORS)) if (this.keyword(word, /[\s()[,'"]/)) return op;
    return this.fail('expected an operator');
  }

  /** One literal: quoted, or bare up to whitespace or a delimiter (`)` ends a group, `,`/`]` a list). */
  private value(inList: boolean): string {
    this.ws();
    const q = this.text[this.pos];
    if (q === "'" || q === '"') {
      const end = this.text.indexOf(q, this.pos + 1);
      if (end < 0) this.fail('unterminated quoted value');
      const v = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      return v;
    }
    const start = this.pos;
    const stop = inList ? /[\s,\]]/ : /[\s)]/;
    while (this.pos < this.text.length && !stop.test(this.text[this.pos]!) && !this.peek('&&') && !this.peek('||')) this.pos++;
    if (start === this.pos) this.fail('expected a value');
    return this.text.slice(start, this.pos);
  }

  private list(): string[] {
    this.ws();
    if (!this.peek('[')) this.fail("expected '[' to open an argument list");
    this.pos++;
    const values = [this.value(true)];
    for (;;) {
      this.ws();
      if (this.peek(']')) break;
      if (!this.peek(',')) this.fail("expected ',' or ']'");
      this.pos++;
      values.push(this.value(true));
    }
    this.pos++;
    return values;
  }

  private comparison(): Comparison {
    const subject = this.subject();
    const at = this.pos;
    const op = this.operator();
    const valid = VALID_OPERATORS[subject.kind];
    if (valid && !valid.includes(op)) {
      this.pos = at;
      this.fail(`operator '${op}' is not valid for ${subject.kind}`);
    }
    const args = op === Operator.Exists || op === Operator.NotExists ? [] : op === Operator.In || op === Operator.NotIn ? this.list() : [this.value(false)];
    const c: Comparison = { type: 'compare', subject, op, args };
    if (op === Operator.Matches || op === Operator.NotMatches) {
      // A quantified group that itself repeats (`(a+)+`) can backtrack for ages on a long value,
      // and patterns run on every placement: such patterns are refused.
      if (NESTED_QUANTIFIER.test(args[0] ?? '')) this.fail(`'${args[0]}' nests repetitions, which is not supported`);
      try {
        c.regex = new RegExp(`^(?:${args[0]})$`);
      } catch {
        this.fail(`'${args[0]}' is not a valid pattern`);
      }
    }
    if (subject.kind === SubjectKind.RegisteredAt) {
      const date = parseQueryDate(args[0]!);
      if (!date) this.fail(`'${args[0]}' is not a date (2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18)`);
      c.time = date.time;
      if (date.precision === DAY_MS) c.dayPrecision = true;
    }
    if (subject.kind === SubjectKind.RunningTasksCount && !/^\d+$/.test(args[0]!)) this.fail(`'${args[0]}' is not a number of tasks`);
    return c;
  }
}

/** Parses a cluster query; throws InvalidParameter with the position of the first error. */
export function parseExpression(text: string): Expression {
  if (text.length > MAX_EXPRESSION_LENGTH) throw invalidParameter(`The expression must be ${MAX_EXPRESSION_LENGTH} characters or fewer.`);
  return new Parser(text).parse();
}

/** Parses once and returns a predicate to apply to many instances (memberOf, ListContainerInstances' filter). */
export function compileFilter(text: string): (instance: InstanceSnapshot) => boolean {
  const expr = parseExpression(text);
  return (instance) => evaluate(expr, instance);
}
