import type { CompiledPattern } from './compiled.js';
import { allOf, ANY, containsLongest, oneOf, type Prefilter } from './prefilter.js';
import { invalidPattern, Scanner } from './scanner.js';
import { compareNumbers, globMatches, parseNumber, readValue, type ValuePattern } from './values.js';

/**
 * Space-delimited patterns: `[ip, user, ..., status_code = 4*, bytes > 1000]` names the fields of
 * a message split at spaces, where text between double quotes or square brackets is one field
 * (without its quotes or brackets). `...` stands for any number of fields; without it the message
 * must have exactly as many fields as the pattern. A field may carry conditions, joined with `&&`
 * and `||`, on itself or on other named fields (`[w1=ERROR || w1=WARN, w2]`). A number compares
 * with fields that are numbers; a string (with `*` wildcards at either end) or a `%regex%` with
 * any field.
 */

type Expression =
  | { readonly kind: 'and' | 'or'; readonly parts: readonly Expression[] }
  | { readonly kind: 'compare'; readonly field: string; readonly op: string; readonly value: ValuePattern };

/** One position of the pattern: `...`, or a named field with optional conditions. */
type Slot = { readonly kind: 'ellipsis' } | { readonly kind: 'field'; readonly name: string; readonly condition?: Expression };

const FIELD_NAME = /^[\w-]+$/;

/** Compiles a space-delimited pattern; `text` starts with `[`. */
export function compileDelimitedPattern(text: string): CompiledPattern {
  const trimmed = text.trim();
  if (!trimmed.endsWith(']')) throw invalidPattern("If a filter pattern starts with '[' it must end with ']'");
  const slots = readSlots(new Scanner(trimmed.slice(1, -1)));
  const declared = new Set(slots.flatMap((s) => (s.kind === 'field' ? [s.name] : [])));
  for (const slot of slots) {
    if (slot.kind === 'field' && slot.condition) checkNames(slot.condition, declared);
  }
  const conditions = slots.flatMap((s) => (s.kind === 'field' && s.condition ? [s.condition] : []));
  return {
    matches(message: string): boolean {
      const fields = splitFields(message);
      return bind(slots, 0, fields, 0, new Map(), (values) => conditions.every((c) => evaluate(c, values)));
    },
    extract(message: string): Record<string, string> | undefined {
      let extracted: Record<string, string> | undefined;
      bind(slots, 0, splitFields(message), 0, new Map(), (values) => {
        if (!conditions.every((c) => evaluate(c, values))) return false;
        extracted = Object.fromEntries([...values].map(([name, value]) => [`$${name}`, value]));
        return true;
      });
      return extracted;
    },
    prefilter: allOf(conditions.map(prefilterOf)),
  };
}

function readSlots(scanner: Scanner): Slot[] {
  const slots: Slot[] = [];
  do {
    // A trailing comma, as in the guide's `[..., request=*.html*, status_code=4*,]`, ends the list.
    if (slots.length > 0 && scanner.atEnd()) break;
    if (scanner.take('...')) slots.push({ kind: 'ellipsis' });
    else slots.push(readField(scanner));
  } while (scanner.take(','));
  if (!scanner.atEnd() || slots.length === 0) throw invalidPattern();
  return slots;
}

function readField(scanner: Scanner): Slot {
  if (scanner.peek() !== '(') {
    const start = scanner.pos;
    const name = readName(scanner);
    if (scanner.peek() === ',' || scanner.atEnd()) return { kind: 'field', name };
    scanner.pos = start;
  }
  // The field is named by the first name in its conditions.
  const condition = readOr(scanner);
  return { kind: 'field', name: firstField(condition), condition };
}

function firstField(expression: Expression): string {
  return expression.kind === 'compare' ? expression.field : firstField(expression.parts[0]!);
}

function readName(scanner: Scanner): string {
  const name = scanner.readUntil(',=!<>&|()');
  if (!FIELD_NAME.test(name)) throw invalidPattern();
  return name;
}

function readOr(scanner: Scanner): Expression {
  const parts = [readAnd(scanner)];
  while (scanner.take('||')) parts.push(readAnd(scanner));
  return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
}

function readAnd(scanner: Scanner): Expression {
  const parts = [readComparison(scanner)];
  while (scanner.take('&&')) parts.push(readComparison(scanner));
  return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
}

function readComparison(scanner: Scanner): Expression {
  if (scanner.take('(')) {
    const inner = readOr(scanner);
    scanner.expect(')');
    return inner;
  }
  const field = readName(scanner);
  const op = scanner.takeOperator();
  if (!op) throw invalidPattern();
  const value = readValue(scanner);
  if (op !== '=' && op !== '!=' && value.kind !== 'number') throw invalidPattern();
  return { kind: 'compare', field, op, value };
}

function checkNames(expression: Expression, declared: ReadonlySet<string>): void {
  if (expression.kind === 'compare') {
    if (!declared.has(expression.field)) throw invalidPattern();
  } else for (const part of expression.parts) checkNames(part, declared);
}

/** Splits a message into fields at runs of whitespace; `"…"` and `[…]` are one field each. */
export function splitFields(message: string): string[] {
  const fields: string[] = [];
  const n = message.length;
  let i = 0;
  while (i < n) {
    while (i < n && (message[i] === ' ' || message[i] === '\t')) i++;
    if (i >= n) break;
    const open = message[i];
    if (open === '"' || open === '[') {
      const close = message.indexOf(open === '"' ? '"' : ']', i + 1);
      const end = close < 0 ? n : close;
      fields.push(message.slice(i + 1, end));
      i = close < 0 ? n : close + 1;
    } else {
      let end = i;
      while (end < n && message[end] !== ' ' && message[end] !== '\t') end++;
      fields.push(message.slice(i, end));
      i = end;
    }
  }
  return fields;
}

/**
 * Binds fields to slots from `si`/`fi` on and calls `accept` with each complete binding; an
 * ellipsis tries every count of fields it could stand for (one binding when there is one `...`).
 */
function bind(
  slots: readonly Slot[],
  si: number,
  fields: readonly string[],
  fi: number,
  values: Map<string, string>,
  accept: (values: ReadonlyMap<string, string>) => boolean,
): boolean {
  if (si === slots.length) return fi === fields.length && accept(values);
  const slot = slots[si]!;
  if (slot.kind === 'ellipsis') {
    for (let next = fi; next <= fields.length; next++) {
      if (bind(slots, si + 1, fields, next, values, accept)) return true;
    }
    return false;
  }
  if (fi >= fields.length) return false;
  const previous = values.get(slot.name);
  values.set(slot.name, fields[fi]!);
  const found = bind(slots, si + 1, fields, fi + 1, values, accept);
  if (previous === undefined) values.delete(slot.name);
  else values.set(slot.name, previous);
  return found;
}

function evaluate(expression: Expression, values: ReadonlyMap<string, string>): boolean {
  if (expression.kind !== 'compare') {
    return expression.kind === 'and'
      ? expression.parts.every((p) => evaluate(p, values))
      : expression.parts.some((p) => evaluate(p, values));
  }
  const field = values.get(expression.field);
  if (field === undefined) return false;
  const { op, value } = expression;
  if (value.kind === 'number') {
    const number = parseNumber(field);
    return number !== undefined && compareNumbers(op, number, value.value);
  }
  const equal = value.kind === 'regex' ? value.regex.test(field) : globMatches(value.glob, field);
  return op === '=' ? equal : !equal;
}

function prefilterOf(expression: Expression): Prefilter {
  if (expression.kind !== 'compare') {
    const parts = expression.parts.map(prefilterOf);
    return expression.kind === 'and' ? allOf(parts) : oneOf(parts);
  }
  const { op, value } = expression;
  if (op !== '=' || value.kind !== 'string' || value.glob.anything) return ANY;
  return containsLongest([value.glob.literal]);
}
