import { truncateValue } from './truncate-value.js';

/**
 * What a problem in a request body is and how AWS words it: the failure the checks build while
 * unwinding, and the SerializationException or ValidationException message made from it.
 */

/** The first problem found in a request body: its kind, AWS-like message and where it is. */
export interface InputProblem {
  /** `serialization`: AWS answers SerializationException; `constraint`: ValidationException. */
  kind: 'serialization' | 'constraint';
  /** The message AWS would send (for constraints, the whole "1 validation error detected: …"). */
  message: string;
  /** Where the problem is, as `a.b[0].c` with the members' wire names (empty for the body itself). */
  path: string;
}

/**
 * SerializationException messages. The texts are the ones AWS's Coral JSON reader sends, as
 * measured against live services and recorded in emulators' tests: "Start of … found where not
 * expected", "Expected null", "Expected list or null", "NUMBER_VALUE / TRUE_VALUE / FALSE_VALUE can
 * not be converted to a String", "STRING_VALUE can not be converted to an Integer" (floci's SES v2
 * and EventBridge Scheduler probes, athena-local's Athena probes); "Expected map or null" and the
 * Blob/Base64 and "milliseconds since epoch" wordings (kinesalite's Kinesis tests); "STRING_VALUE
 * can not be converted to a Long" (reported by Amazon Ads API callers); "STRING_VALUE can not be
 * converted to an Boolean" / "NUMBER_VALUE can not be converted to a Boolean" (floci's SES v2
 * probes, the odd article included). Combinations nobody recorded (a decimal or out-of-range
 * number for an Integer, strings for Double/Float/Blob) follow the same `<TOKEN> can not be
 * converted to <type>` form.
 */
export const SER = {
  startOfList: 'Start of list found where not expected',
  startOfStructure: 'Start of structure or map found where not expected.',
  expectedNull: 'Expected null',
  expectedList: 'Expected list or null',
  expectedMap: 'Expected map or null',
} as const;

// Coral names the JSON token it read in conversion errors.
function token(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'STRING_VALUE';
    case 'number':
    case 'bigint':
      return 'NUMBER_VALUE';
    case 'boolean':
      return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
    default:
      return 'NULL_VALUE';
  }
}

/** The message for a value of the wrong JSON type where a scalar of `target` ("a String") is read. */
export function conversionMessage(value: unknown, target: string): string {
  if (Array.isArray(value)) return SER.startOfList;
  if (typeof value === 'object' && value !== null) return SER.startOfStructure;
  return `${token(value)} can not be converted to ${target}`;
}

/** The two kinds of failure: a value of the wrong type (found first by AWS) or a broken constraint. */
export const SERIALIZATION = 0;
/** See {@link SERIALIZATION}. */
export const CONSTRAINT = 1;

/** What a path segment is: a structure member, a list index or a map key. */
export enum Seg {
  Member,
  Index,
  Key,
}

/** A problem as found, with its path collected (innermost first) while unwinding. */
export interface Failure {
  kind: typeof SERIALIZATION | typeof CONSTRAINT;
  /** The serialization message, or the constraint text after "failed to satisfy constraint: ". */
  text: string;
  /** The value the constraint message shows. */
  value: unknown;
  /** True when `value` is a map (shown as `{k=v}`) rather than a structure (not shown). */
  valueIsMap: boolean;
  /** False once the walk passes a sensitive shape: AWS does not echo those values. */
  showValue: boolean;
  /** Path segments, innermost first. */
  kinds: Seg[];
  segs: Array<string | number>;
  /**
   * How many innermost segments AWS's message leaves out: a list element's or map entry's own
   * scalar constraint is reported at the list or map ("Member must satisfy constraint: [...]").
   */
  hidden: number;
}

/** A SerializationException with `text` as its message. */
export function serialization(text: string): Failure {
  return { kind: SERIALIZATION, text, value: undefined, valueIsMap: false, showValue: false, kinds: [], segs: [], hidden: 0 };
}

/** A broken constraint: `text` is the part after "failed to satisfy constraint: "; `value` is shown. */
export function constraint(text: string, value: unknown): Failure {
  return { kind: CONSTRAINT, text, value, valueIsMap: false, showValue: true, kinds: [], segs: [], hidden: 0 };
}

/** `failure`, one segment further out: the walk calls this while unwinding. */
export function within(failure: Failure, kind: Seg, seg: string | number): Failure {
  failure.kinds.push(kind);
  failure.segs.push(seg);
  return failure;
}

/** The InputProblem reported for a failure: its message and readable path. */
export function toProblem(failure: Failure): InputProblem {
  const path = readablePath(failure);
  if (failure.kind === SERIALIZATION) return { kind: 'serialization', message: failure.text, path };
  return { kind: 'constraint', message: constraintMessage(failure), path };
}

// `containerDefinitions[0].portMappings[1].containerPort`; map keys as `environment["KEY"]`.
function readablePath(failure: Failure): string {
  let path = '';
  for (let i = failure.segs.length - 1; i >= 0; i--) {
    const seg = failure.segs[i]!;
    switch (failure.kinds[i]) {
      case Seg.Member:
        path += path === '' ? String(seg) : `.${seg}`;
        break;
      case Seg.Index:
        path += `[${seg}]`;
        break;
      default:
        path += `[${JSON.stringify(seg)}]`;
    }
  }
  return path;
}

// AWS's path: members with a lower-case first letter, list elements as `<n>.member` (1-based).
function awsPath(failure: Failure): string {
  const parts: string[] = [];
  for (let i = failure.segs.length - 1; i >= failure.hidden; i--) {
    const seg = failure.segs[i]!;
    switch (failure.kinds[i]) {
      case Seg.Member: {
        const name = String(seg);
        parts.push(name.charAt(0).toLowerCase() + name.slice(1));
        break;
      }
      case Seg.Index:
        parts.push(`${Number(seg) + 1}.member`);
        break;
      default:
        // A map key is the caller's text, as long as the caller made it.
        parts.push(truncateValue(String(seg)));
    }
  }
  return parts.join('.');
}

/**
 * "1 validation error detected: Value 'x' at 'a.b' failed to satisfy constraint: Member must …":
 * the wording of AWS's ValidationException (Coral), as recorded in dynalite's and kinesalite's
 * tests against DynamoDB and Kinesis and in floci's SES v2 probes: values shown in quotes, `null`
 * bare, lists as `[a, b]`, maps as `{k=v}`, and no value for sensitive members.
 */
function constraintMessage(failure: Failure): string {
  const shown = failure.value === null ? 'null' : failure.showValue ? quotedValue(failure.value, failure.valueIsMap) : undefined;
  const value = shown === undefined ? 'Value' : `Value ${shown}`;
  return `1 validation error detected: ${value} at '${awsPath(failure)}' failed to satisfy constraint: ${failure.text}`;
}

// Java's toString of a scalar, or of a list or map of scalars; structures have no useful one, so
// they are not shown (JSON objects are only read as maps where the failure says so).
function quotedValue(value: unknown, isMap: boolean): string | undefined {
  const text = javaText(value, isMap);
  return text === undefined ? undefined : `'${truncateValue(text)}'`;
}

function javaText(value: unknown, isMap: boolean): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object' || value === null) return undefined;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = item === null ? 'null' : javaText(item, false);
      if (text === undefined) return undefined;
      parts.push(text);
    }
    return `[${parts.join(', ')}]`;
  }
  if (!isMap) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const text = item === null ? 'null' : javaText(item, false);
    if (text === undefined) return undefined;
    parts.push(`${key}=${text}`);
  }
  return `{${parts.join(', ')}}`;
}
