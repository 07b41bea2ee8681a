import {
  CONSTRAINT,
  constraint,
  conversionMessage,
  SER,
  Seg,
  serialization,
  within,
  type Failure,
} from './input-messages.js';
import { Kind, type BlobNode, type ListNode, type MapNode, type Node, type NumberNode, type StringNode, type StructureNode } from './input-shapes.js';
import { truncateValue } from './truncate-value.js';

/**
 * The walk of a request body over an operation's compiled input shape: the first serialization
 * problem or broken constraint, in member order, as a Failure.
 */

/** The deepest nesting walked; deeper bodies are refused rather than risking the stack. */
export const MAX_INPUT_DEPTH = 64;

const TOO_DEEP = `Request nesting exceeds the maximum depth of ${MAX_INPUT_DEPTH}`;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
// Java's long range; beyond ±2^53 a JSON number has already lost precision, but is still a long.
const LONG_LIMIT = 2 ** 63;

// A null list element or map value of `member`'s shape; reported at the list or map by the caller.
function nullElement(member: Node): Failure {
  const failure = constraint('Member must not be null', null);
  failure.showValue = !member.sensitive;
  return failure;
}

/**
 * Checks `value` (neither undefined nor null) against `node`. With `typesOnly`, constraints are
 * skipped and only serialization problems are looked for.
 */
export function check(node: Node, value: unknown, depth: number, typesOnly: boolean): Failure | undefined {
  const failure = checkNode(node, value, depth, typesOnly);
  if (failure !== undefined && node.sensitive) failure.showValue = false;
  return failure;
}

function checkNode(node: Node, value: unknown, depth: number, typesOnly: boolean): Failure | undefined {
  switch (node.kind) {
    case Kind.Structure:
      return checkStructure(node, value, depth, typesOnly);
    case Kind.List:
      return checkList(node, value, depth, typesOnly);
    case Kind.Map:
      return checkMap(node, value, depth, typesOnly);
    case Kind.String:
      if (typeof value !== 'string') return serialization(conversionMessage(value, 'a String'));
      return typesOnly ? undefined : checkString(node, value);
    case Kind.Integer:
    case Kind.Long:
      return checkIntegral(node, value, typesOnly);
    case Kind.Floating:
      return checkFloating(node, value, typesOnly);
    case Kind.Boolean:
      if (typeof value === 'boolean') return undefined;
      if (node.fromText && (value === 'true' || value === 'false')) return undefined;
      // AWS's wording differs by token here, article included.
      return serialization(
        typeof value === 'string'
          ? 'STRING_VALUE can not be converted to an Boolean'
          : conversionMessage(value, 'a Boolean'),
      );
    case Kind.Timestamp:
      return checkTimestamp(value);
    case Kind.Blob:
      return checkBlob(node, value, typesOnly);
    case Kind.Any:
      return undefined;
  }
}

function checkStructure(node: StructureNode, value: unknown, depth: number, typesOnly: boolean): Failure | undefined {
  if (typeof value !== 'object' || value === null) return serialization(SER.expectedNull);
  if (Array.isArray(value)) return serialization(SER.startOfList);
  if (depth >= MAX_INPUT_DEPTH) return serialization(TOO_DEEP);
  const record = value as Record<string, unknown>;
  const members = node.members;
  for (let i = 0; i < members.length; i++) {
    const member = members[i]!;
    let v = record[member.name];
    if (member.inherited && v !== undefined && !Object.hasOwn(record, member.name)) v = undefined;
    if (v === undefined || v === null) {
      // A null member is an absent one (see validateInput); it is dropped so that handlers only
      // ever meet `undefined`. Only own properties: `inherited` names are never written.
      if (v === null) delete record[member.name];
      if (member.required && !typesOnly) {
        return within(constraint('Member must not be null', null), Seg.Member, member.name);
      }
      continue;
    }
    const failure = check(member.node, v, depth + 1, typesOnly);
    if (failure !== undefined) return within(failure, Seg.Member, member.name);
  }
  return undefined;
}

function checkList(node: ListNode, value: unknown, depth: number, typesOnly: boolean): Failure | undefined {
  if (!Array.isArray(value)) {
    return serialization(typeof value === 'object' ? SER.startOfStructure : SER.expectedList);
  }
  if (depth >= MAX_INPUT_DEPTH) return serialization(TOO_DEEP);
  if (!typesOnly) {
    const size = sizeProblem(value.length, node.min, node.max);
    if (size !== undefined) return constraint(size, value);
  }
  const member = node.member;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    // Smithy lists are dense: AWS refuses a null element as a constraint of the list
    // ("Value '[null]' at 'assets' failed to satisfy constraint: Member must satisfy constraint:
    // [Member must not be null]", measured on Cognito by floci's probes).
    const failure =
      v === undefined || v === null
        ? typesOnly
          ? undefined
          : nullElement(member)
        : check(member, v, depth + 1, typesOnly);
    if (failure === undefined) continue;
    if (failure.kind === CONSTRAINT && failure.segs.length === 0) {
      // The element's own constraint: AWS reports it at the list, showing the whole list.
      failure.text = `Member must satisfy constraint: [${failure.text}]`;
      failure.value = value;
      failure.hidden = 1;
    }
    return within(failure, Seg.Index, i);
  }
  return undefined;
}

function checkMap(node: MapNode, value: unknown, depth: number, typesOnly: boolean): Failure | undefined {
  if (typeof value !== 'object' || value === null) return serialization(SER.expectedMap);
  if (Array.isArray(value)) return serialization(SER.startOfList);
  if (depth >= MAX_INPUT_DEPTH) return serialization(TOO_DEEP);
  const record = value as Record<string, unknown>;
  let size = 0;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    size++;
    if (!typesOnly) {
      const keyFailure = check(node.key, key, depth + 1, false);
      if (keyFailure !== undefined) {
        // Keys are strings already, so only their constraints can fail; AWS reports them at the map.
        keyFailure.text = `Map keys must satisfy constraint: [${keyFailure.text}]`;
        keyFailure.value = value;
        keyFailure.valueIsMap = true;
        keyFailure.hidden = 1;
        return within(keyFailure, Seg.Key, key);
      }
    }
    const v = record[key];
    // Maps are dense too: a null value is refused at the map, as a null list element is.
    const failure =
      v === undefined || v === null
        ? typesOnly
          ? undefined
          : nullElement(node.value)
        : check(node.value, v, depth + 1, typesOnly);
    if (failure === undefined) continue;
    if (failure.kind === CONSTRAINT && failure.segs.length === 0) {
      failure.text = `Map value must satisfy constraint: [${failure.text}]`;
      failure.value = value;
      failure.valueIsMap = true;
      failure.hidden = 1;
    }
    return within(failure, Seg.Key, key);
  }
  if (!typesOnly) {
    const problem = sizeProblem(size, node.min, node.max);
    if (problem !== undefined) {
      const failure = constraint(problem, value);
      failure.valueIsMap = true;
      return failure;
    }
  }
  return undefined;
}

function checkString(node: StringNode, value: string): Failure | undefined {
  if (node.min > 0 || node.max !== Infinity) {
    const problem = sizeProblem(stringLength(value, node.min, node.max), node.min, node.max);
    if (problem !== undefined) return constraint(problem, value);
  }
  if (node.enumSet !== undefined && !node.enumSet.has(value)) {
    return constraint(`Member must satisfy enum value set: ${node.enumText}`, value);
  }
  if (node.pattern !== undefined && !node.pattern.test(value)) {
    return constraint(`Member must satisfy regular expression pattern: ${node.patternSource}`, value);
  }
  return undefined;
}

/**
 * The length AWS measures, in code points (Smithy's definition). UTF-16 length is an upper bound
 * and half of it a lower bound, so the count is only done when those cannot decide.
 */
function stringLength(value: string, min: number, max: number): number {
  const units = value.length;
  if (units <= max && units >= 2 * min) return units;
  let points = units;
  for (let i = 0; i < units - 1; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        points--;
        i++;
      }
    }
  }
  return points;
}

function sizeProblem(size: number, min: number, max: number): string | undefined {
  if (size > max) return `Member must have length less than or equal to ${max}`;
  if (size < min) return `Member must have length greater than or equal to ${min}`;
  return undefined;
}

function rangeProblem(value: number, min: number, max: number): string | undefined {
  if (value > max) return `Member must have value less than or equal to ${max}`;
  if (value < min) return `Member must have value greater than or equal to ${min}`;
  return undefined;
}

// A query-protocol number: decimal digits only, as AWS's query reader parses them.
const INTEGER_TEXT = /^[-+]?\d+$/;
const DECIMAL_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function checkIntegral(node: NumberNode, raw: unknown, typesOnly: boolean): Failure | undefined {
  const value = node.fromText && typeof raw === 'string' && INTEGER_TEXT.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number') return serialization(conversionMessage(value, node.target));
  const inRange =
    node.kind === Kind.Integer ? value >= INT_MIN && value <= INT_MAX : value > -LONG_LIMIT && value < LONG_LIMIT;
  if (!Number.isInteger(value) || !inRange) return serialization(conversionMessage(value, node.target));
  if (typesOnly) return undefined;
  const problem = rangeProblem(value, node.min, node.max);
  return problem === undefined ? undefined : constraint(problem, value);
}

function checkFloating(node: NumberNode, raw: unknown, typesOnly: boolean): Failure | undefined {
  const value = node.fromText && typeof raw === 'string' && DECIMAL_TEXT.test(raw) ? Number(raw) : raw;
  if (typeof value === 'string') {
    // The JSON protocols send the non-finite values as these strings.
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return undefined;
    return serialization(conversionMessage(value, node.target));
  }
  if (typeof value !== 'number') return serialization(conversionMessage(value, node.target));
  if (typesOnly) return undefined;
  const problem = rangeProblem(value, node.min, node.max);
  return problem === undefined ? undefined : constraint(problem, value);
}

const EPOCH_TARGET = 'milliseconds since epoch';
// A number in a string: some clients send epoch seconds quoted.
const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

function checkTimestamp(value: unknown): Failure | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : serialization(conversionMessage(value, EPOCH_TARGET));
  if (typeof value === 'string') {
    // Epoch seconds are the JSON protocol's format; ISO 8601 and HTTP dates are read as well.
    if (NUMERIC.test(value) || !Number.isNaN(Date.parse(value))) return undefined;
  }
  return serialization(conversionMessage(value, EPOCH_TARGET));
}

function checkBlob(node: BlobNode, value: unknown, typesOnly: boolean): Failure | undefined {
  if (typeof value !== 'string') return serialization(conversionMessage(value, 'a Blob'));
  const units = value.length;
  if (units % 4 !== 0) {
    return serialization(
      `'${truncateValue(value)}' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: ${units}`,
    );
  }
  let padding = 0;
  for (let i = 0; i < units; i++) {
    const c = value.charCodeAt(i);
    const base64 =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    // '=' only as the last one or two characters.
    const pad = c === 61 && i >= units - 2 && (i === units - 1 || value.charCodeAt(units - 1) === 61);
    if (pad) padding++;
    else if (!base64 || padding > 0) {
      return serialization(`'${truncateValue(value)}' can not be converted to a Blob: Invalid Base64 character: '${value[i]}'`);
    }
  }
  if (typesOnly || (node.min === 0 && node.max === Infinity)) return undefined;
  const problem = sizeProblem((units / 4) * 3 - padding, node.min, node.max);
  return problem === undefined ? undefined : constraint(problem, value);
}
