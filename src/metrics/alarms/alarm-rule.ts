import { invalidParameter } from '../../lib/errors.js';
import type { StateValue } from './alarm-types.js';

/**
 * The AlarmRule of a composite alarm, pure: `ALARM(name)`, `OK(name)`, `INSUFFICIENT_DATA(name)`
 * (a name or an alarm ARN, quoted or not), `TRUE`, `FALSE`, combined with `AND`, `OR`, `NOT` and
 * parentheses. NOT binds tightest, then AND, then OR (CloudWatch's precedence).
 */
export type RuleExpr =
  | { op: 'state'; state: StateValue; alarm: string }
  | { op: 'const'; value: boolean }
  | { op: 'not'; arg: RuleExpr }
  | { op: 'and' | 'or'; left: RuleExpr; right: RuleExpr };

const STATES = new Set(['ALARM', 'OK', 'INSUFFICIENT_DATA']);
const bad = (detail: string) => invalidParameter(`Error in alarm rule: ${detail}`);

/** Parses an alarm rule; throws InvalidParameterValue on bad syntax. */
export function parseAlarmRule(text: string): RuleExpr {
  const tokens: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|([()])|([A-Za-z_]+)(?=\s*\()|([^\s()]+))/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (match = re.exec(text)) !== null) {
    at = re.lastIndex;
    tokens.push((match[1] ?? match[2] ?? match[3] ?? match[4])!);
    if (/^\s*$/.test(text.slice(at))) break;
  }
  if (tokens.length === 0) throw bad('the rule is empty.');
  let i = 0;
  const peek = () => tokens[i];
  const or = (): RuleExpr => {
    let left = and();
    while (peek()?.toUpperCase() === 'OR') {
      i++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): RuleExpr => {
    let left = not();
    while (peek()?.toUpperCase() === 'AND') {
      i++;
      left = { op: 'and', left, right: not() };
    }
    return left;
  };
  const not = (): RuleExpr => {
    if (peek()?.toUpperCase() === 'NOT') {
      i++;
      return { op: 'not', arg: not() };
    }
    return primary();
  };
  const primary = (): RuleExpr => {
    const t = tokens[i++];
    if (t === undefined) throw bad('unexpected end of the rule.');
    if (t === '(') {
      const inner = or();
      if (tokens[i++] !== ')') throw bad("expected ')'.");
      return inner;
    }
    const upper = t.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return { op: 'const', value: upper === 'TRUE' };
    if (STATES.has(upper) && tokens[i] === '(') {
      i++;
      const arg = tokens[i++];
      if (arg === undefined || arg === ')' || arg === '(') throw bad(`${upper}() needs an alarm name or ARN.`);
      if (tokens[i++] !== ')') throw bad(`expected ')' after the alarm of ${upper}().`);
      const alarm = arg.startsWith('"') ? (JSON.parse(arg) as string) : arg;
      if (alarm === '') throw bad(`${upper}() needs an alarm name or ARN.`);
      return { op: 'state', state: upper as StateValue, alarm };
    }
    throw bad(`unexpected '${t}'.`);
  };
  const expr = or();
  if (i < tokens.length) throw bad(`unexpected '${tokens[i]}'.`);
  return expr;
}

/** The alarms a rule names (names or ARNs, as written). */
export function ruleAlarms(expr: RuleExpr): string[] {
  switch (expr.op) {
    case 'state':
      return [expr.alarm];
    case 'const':
      return [];
    case 'not':
      return ruleAlarms(expr.arg);
    default:
      return [...ruleAlarms(expr.left), ...ruleAlarms(expr.right)];
  }
}

/** Evaluates a rule over the states of the alarms it names (an alarm without a state matches nothing). */
export function evaluateRule(expr: RuleExpr, stateOf: (alarm: string) => StateValue | undefined): boolean {
  switch (expr.op) {
    case 'state':
      return stateOf(expr.alarm) === expr.state;
    case 'const':
      return expr.value;
    case 'not':
      return !evaluateRule(expr.arg, stateOf);
    case 'and':
      return evaluateRule(expr.left, stateOf) && evaluateRule(expr.right, stateOf);
    case 'or':
      return evaluateRule(expr.left, stateOf) || evaluateRule(expr.right, stateOf);
  }
}

/** Writes a rule back in canonical form (for tests and messages). */
export function formatRule(expr: RuleExpr): string {
  switch (expr.op) {
    case 'state':
      return `${expr.state}(${JSON.stringify(expr.alarm)})`;
    case 'const':
      return expr.value ? 'TRUE' : 'FALSE';
    case 'not':
      return `NOT (${formatRule(expr.arg)})`;
    default:
      return `(${formatRule(expr.left)} ${expr.op.toUpperCase()} ${formatRule(expr.right)})`;
  }
}
