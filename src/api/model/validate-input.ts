import {
  operationModel,
  shapeModel,
  type ServiceModel,
  type ShapeModel,
  type StructureShape,
} from './service-model.js';
import { truncateValue } from './truncate-value.js';

/**
 * Server-side checks of a JSON-protocol request body against an operation's input shape, in the
 * order AWS's (Coral) front end applies them: first the body is read into the modelled types (a
 * member of the wrong JSON type is a `SerializationException`), then the modelled constraints are
 * checked (required, length, range, pattern, enum: a `ValidationException`).
 *
 * Message texts follow what AWS answers; see `SER` and `constraintMessage` below for their sources.
 *
 * It runs on every request, so each shape is compiled once per model into a small node graph
 * (patterns compiled, enums in Sets, required flags on members) and a valid request walks that graph
 * without allocating: paths and messages are only built while unwinding from a problem.
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

/** The deepest nesting walked; deeper bodies are refused rather than risking the stack. */
export const MAX_INPUT_DEPTH = 64;

/**
 * Returns the first problem of `input` (a parsed JSON body) for `operation`'s input shape, or
 * undefined when AWS would accept it. A serialization problem anywhere wins over a constraint
 * problem, as AWS reads the whole body before validating it. Unknown members are ignored.
 *
 * Nulls, chosen consistently with AWS's JSON protocols: a `null` structure member counts as absent
 * (AWS's readers treat an explicit null as an unset member; a required one is then "Member must
 * not be null"), and is deleted from `input` in place so that handlers never meet a null; a `null`
 * or absent body counts as `{}`, as an absent payload does. A `null` list element or map value is
 * refused with the list's or map's constraint "Member must satisfy constraint: [Member must not be
 * null]": Smithy collections are dense, and AWS answers so (recorded against Cognito). On a query
 * protocol model (STS) the body is the form's fields, so numbers and booleans may come as text.
 * Throws when the model has no such operation.
 */
export function validateInput(model: ServiceModel, operation: string, input: unknown): InputProblem | undefined {
  const root = rootNode(model, operation);
  const body = input === undefined || input === null ? EMPTY : input;
  const first = check(root, body, 0, false);
  if (first === undefined) return undefined;
  // A constraint problem was found first in member order; AWS reports any serialization problem
  // of the body instead, so look again for those only. This second walk only runs for bad input.
  const failure = first.kind === SERIALIZATION ? first : (check(root, body, 0, true) ?? first);
  return toProblem(failure);
}

// ---------------------------------------------------------------------------------------------
// Messages

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
const SER = {
  startOfList: 'Start of list found where not expected',
  startOfStructure: 'Start of structure or map found where not expected.',
  expectedNull: 'Expected null',
  expectedList: 'Expected list or null',
  expectedMap: 'Expected map or null',
  tooDeep: `Request nesting exceeds the maximum depth of ${MAX_INPUT_DEPTH}`,
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

// The message for a value of the wrong JSON type where a scalar of `target` ("a String") is read.
function conversionMessage(value: unknown, target: string): string {
  if (Array.isArray(value)) return SER.startOfList;
  if (typeof value === 'object' && value !== null) return SER.startOfStructure;
  return `${token(value)} can not be converted to ${target}`;
}

// ---------------------------------------------------------------------------------------------
// Compiled shapes

const SERIALIZATION = 0;
const CONSTRAINT = 1;

const enum Kind {
  Structure,
  List,
  Map,
  String,
  Integer,
  Long,
  Floating,
  Boolean,
  Timestamp,
  Blob,
  Any,
}

interface Member {
  /** Wire name, as the body spells it. */
  readonly name: string;
  readonly node: Node;
  readonly required: boolean;
  /** True when the name is also an Object.prototype member, so a plain lookup could find that. */
  readonly inherited: boolean;
}

interface NodeBase {
  readonly shape: string;
  readonly sensitive: boolean;
}
interface StructureNode extends NodeBase {
  readonly kind: Kind.Structure;
  members: Member[];
}
interface ListNode extends NodeBase {
  readonly kind: Kind.List;
  member: Node;
  readonly min: number;
  readonly max: number;
}
interface MapNode extends NodeBase {
  readonly kind: Kind.Map;
  key: Node;
  value: Node;
  readonly min: number;
  readonly max: number;
}
interface StringNode extends NodeBase {
  readonly kind: Kind.String;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp | undefined;
  readonly patternSource: string;
  readonly enumSet: ReadonlySet<string> | undefined;
  readonly enumText: string;
}
interface NumberNode extends NodeBase {
  readonly kind: Kind.Integer | Kind.Long | Kind.Floating;
  /** The Java type in messages: "an Integer", "a Long", "a Double", "a Float". */
  readonly target: string;
  readonly min: number;
  readonly max: number;
  /** True on the query protocol, where every scalar arrives as a string. */
  readonly fromText: boolean;
}
interface BooleanNode extends NodeBase {
  readonly kind: Kind.Boolean;
  readonly fromText: boolean;
}
interface BlobNode extends NodeBase {
  readonly kind: Kind.Blob;
  readonly min: number;
  readonly max: number;
}
interface PlainNode extends NodeBase {
  readonly kind: Kind.Timestamp | Kind.Any;
}
type Node = StructureNode | ListNode | MapNode | StringNode | NumberNode | BooleanNode | BlobNode | PlainNode;

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
// Java's long range; beyond ±2^53 a JSON number has already lost precision, but is still a long.
const LONG_LIMIT = 2 ** 63;

const compiled = new WeakMap<ServiceModel, { shapes: Map<string, Node>; roots: Map<string, Node> }>();

function cacheOf(model: ServiceModel): { shapes: Map<string, Node>; roots: Map<string, Node> } {
  let cache = compiled.get(model);
  if (!cache) {
    cache = { shapes: new Map(), roots: new Map() };
    compiled.set(model, cache);
  }
  return cache;
}

function rootNode(model: ServiceModel, operation: string): Node {
  const cache = cacheOf(model);
  let root = cache.roots.get(operation);
  if (!root) {
    const input = operationModel(model, operation).input;
    // An operation without input still takes a JSON object body (`{}`), with nothing in it checked.
    root = input ? compileShape(model, cache.shapes, input.shape) : ANY_STRUCTURE;
    cache.roots.set(operation, root);
  }
  return root;
}

const ANY_STRUCTURE: StructureNode = { kind: Kind.Structure, shape: '', sensitive: false, members: [] };

function compileShape(model: ServiceModel, shapes: Map<string, Node>, name: string): Node {
  const done = shapes.get(name);
  if (done) return done;
  const shape: ShapeModel = shapeModel(model, name);
  const sensitive = shape.sensitive === true;
  // The query protocols (STS) send every scalar as form text; a number there is digits in a string.
  const fromText = model.metadata.protocol === 'query' || model.metadata.protocol === 'ec2';
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return remember(shapes, { kind: Kind.Any, shape: name, sensitive });
      // Registered before its members are compiled, so that recursive shapes end in this node.
      const node: StructureNode = remember(shapes, { kind: Kind.Structure, shape: name, sensitive, members: [] });
      node.members = compileMembers(model, shapes, shape);
      return node;
    }
    case 'list': {
      const node: ListNode = remember(shapes, {
        kind: Kind.List,
        shape: name,
        sensitive,
        member: ANY_STRUCTURE,
        min: shape.min ?? 0,
        max: shape.max ?? Infinity,
      });
      node.member = compileShape(model, shapes, shape.member.shape);
      return node;
    }
    case 'map': {
      const node: MapNode = remember(shapes, {
        kind: Kind.Map,
        shape: name,
        sensitive,
        key: ANY_STRUCTURE,
        value: ANY_STRUCTURE,
        min: shape.min ?? 0,
        max: shape.max ?? Infinity,
      });
      node.key = compileShape(model, shapes, shape.key.shape);
      node.value = compileShape(model, shapes, shape.value.shape);
      return node;
    }
    case 'string':
      return remember(shapes, {
        kind: Kind.String,
        shape: name,
        sensitive,
        min: shape.min ?? 0,
        max: shape.max ?? Infinity,
        pattern: shape.pattern === undefined ? undefined : javaPatternToRegExp(shape.pattern),
        patternSource: shape.pattern ?? '',
        enumSet: shape.enum ? new Set(shape.enum) : undefined,
        enumText: shape.enum ? `[${shape.enum.join(', ')}]` : '',
      });
    case 'integer':
    case 'long':
      return remember(shapes, {
        kind: shape.type === 'integer' ? Kind.Integer : Kind.Long,
        shape: name,
        sensitive,
        target: shape.type === 'integer' ? 'an Integer' : 'a Long',
        min: shape.min ?? -Infinity,
        max: shape.max ?? Infinity,
        fromText,
      });
    case 'double':
    case 'float':
      return remember(shapes, {
        kind: Kind.Floating,
        shape: name,
        sensitive,
        target: shape.type === 'double' ? 'a Double' : 'a Float',
        min: shape.min ?? -Infinity,
        max: shape.max ?? Infinity,
        fromText,
      });
    case 'blob':
      return remember(shapes, {
        kind: Kind.Blob,
        shape: name,
        sensitive,
        min: shape.min ?? 0,
        max: shape.max ?? Infinity,
      });
    case 'boolean':
      return remember(shapes, { kind: Kind.Boolean, shape: name, sensitive, fromText });
    case 'timestamp':
      return remember(shapes, { kind: Kind.Timestamp, shape: name, sensitive });
    default:
      // A shape type this code does not know: accept anything rather than refuse valid requests.
      return remember(shapes, { kind: Kind.Any, shape: name, sensitive });
  }
}

function compileMembers(model: ServiceModel, shapes: Map<string, Node>, shape: StructureShape): Member[] {
  const required = new Set(shape.required ?? []);
  return Object.entries(shape.members ?? {}).map(([name, ref]) => ({
    name,
    node: compileShape(model, shapes, ref.shape),
    required: required.has(name),
    inherited: name in Object.prototype,
  }));
}

function remember<N extends Node>(shapes: Map<string, Node>, node: N): N {
  shapes.set(node.shape, node);
  return node;
}

// ---------------------------------------------------------------------------------------------
// The walk

const enum Seg {
  Member,
  Index,
  Key,
}

/** A problem as found, with its path collected (innermost first) while unwinding. */
interface Failure {
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

function serialization(text: string): Failure {
  return { kind: SERIALIZATION, text, value: undefined, valueIsMap: false, showValue: false, kinds: [], segs: [], hidden: 0 };
}

function constraint(text: string, value: unknown): Failure {
  return { kind: CONSTRAINT, text, value, valueIsMap: false, showValue: true, kinds: [], segs: [], hidden: 0 };
}

// A null list element or map value of `member`'s shape; reported at the list or map by the caller.
function nullElement(member: Node): Failure {
  const failure = constraint('Member must not be null', null);
  failure.showValue = !member.sensitive;
  return failure;
}

function within(failure: Failure, kind: Seg, seg: string | number): Failure {
  failure.kinds.push(kind);
  failure.segs.push(seg);
  return failure;
}

/**
 * Checks `value` (neither undefined nor null) against `node`. With `typesOnly`, constraints are
 * skipped and only serialization problems are looked for.
 */
function check(node: Node, value: unknown, depth: number, typesOnly: boolean): Failure | undefined {
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
  if (depth >= MAX_INPUT_DEPTH) return serialization(SER.tooDeep);
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
  if (depth >= MAX_INPUT_DEPTH) return serialization(SER.tooDeep);
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
  if (depth >= MAX_INPUT_DEPTH) return serialization(SER.tooDeep);
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

// ---------------------------------------------------------------------------------------------
// Reporting

function toProblem(failure: Failure): InputProblem {
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

// ---------------------------------------------------------------------------------------------
// Java patterns

const patterns = new Map<string, RegExp | undefined>();

/**
 * Compiles a model's Java regex as AWS applies it: the whole value must match. The pattern is
 * translated where Java and JavaScript differ (`\p{Alpha}`-style classes, needless escapes like
 * `\:` that the `u` flag refuses, `\Q…\E`, possessive quantifiers, nested class unions) and
 * compiled with the `u` flag so that `\p{L}` works; failing that, without it. Returns undefined
 * for Java-only constructs (class intersections, `\G`, inline flags past the start, …) or when
 * neither compiles; the pattern is then not checked. Cached per pattern.
 */
export function javaPatternToRegExp(pattern: string): RegExp | undefined {
  if (patterns.has(pattern)) return patterns.get(pattern);
  let regex: RegExp | undefined;
  const translated = translateJavaPattern(pattern);
  // Not the untranslated pattern as a last resort: where translation gave up, JavaScript would
  // read it with another meaning, and refusing valid requests is worse than not checking.
  const attempts: Array<[string, string]> =
    translated === undefined ? [] : [[translated.source, `u${translated.flags}`], [translated.source, translated.flags]];
  for (const [source, flags] of attempts) {
    try {
      regex = new RegExp(`^(?:${source})$`, flags);
      break;
    } catch {
      // Try the next form.
    }
  }
  patterns.set(pattern, regex);
  return regex;
}

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};
// Java's \s, \h and \v, which JavaScript's differ from.
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
const JAVA_HSPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const JAVA_VSPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
const SYNTAX = '^$\\.*+?()[]{}|/';

/** The JavaScript source and flags for a Java pattern, or undefined for Java-only constructs. */
function translateJavaPattern(pattern: string): { source: string; flags: string } | undefined {
  let src = pattern;
  let flags = '';
  if (src.startsWith('(?i)')) {
    flags = 'i';
    src = src.slice(4);
  }
  let out = '';
  let classDepth = 0; // > 1 inside a Java nested class, whose brackets are dropped (a union)
  let afterQuantifier: boolean = false;
  const set = (contents: string, negated: boolean): string =>
    classDepth > 0 ? (negated ? '\0' : contents) : `[${negated ? '^' : ''}${contents}]`;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const wasQuantifier: boolean = afterQuantifier;
    afterQuantifier = false;
    if (c === '\\') {
      const e = src[++i];
      if (e === undefined) return undefined;
      let piece: string | undefined;
      if ('dDwWbBnrtf'.includes(e)) piece = `\\${e}`;
      else if (e === 's' || e === 'S') piece = set(JAVA_SPACE, e === 'S');
      else if (e === 'h' || e === 'H') piece = set(JAVA_HSPACE, e === 'H');
      else if (e === 'v') piece = set(JAVA_VSPACE, false);
      else if (e === 'e') piece = '\\x1B';
      else if (e === 'a') piece = '\\x07';
      else if (e === 'A' && classDepth === 0) piece = '^';
      else if (e === 'z' && classDepth === 0) piece = '$';
      else if (e === 'Z' && classDepth === 0) piece = '(?=\\n?$)';
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 1, i + 5))) {
        piece = `\\u${src.slice(i + 1, i + 5)}`;
        i += 4;
      } else if (e === 'x') {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(src.slice(i + 1));
        if (braced) {
          piece = `\\u{${braced[1]}}`;
          i += braced[0].length;
        } else if (/^[0-9a-fA-F]{2}$/.test(src.slice(i + 1, i + 3))) {
          piece = `\\x${src.slice(i + 1, i + 3)}`;
          i += 2;
        } else return undefined;
      } else if (e === '0') {
        const octal = /^[0-7]{1,3}/.exec(src.slice(i + 1));
        if (!octal) return undefined;
        piece = `\\u{${parseInt(octal[0], 8).toString(16)}}`;
        i += octal[0].length;
      } else if (e >= '1' && e <= '9') piece = `\\${e}`;
      else if (e === 'c' && /[A-Za-z]/.test(src[i + 1] ?? '')) piece = `\\c${src[++i]}`;
      else if (e === 'k' && src[i + 1] === '<') {
        const end = src.indexOf('>', i);
        if (end < 0) return undefined;
        piece = src.slice(i - 1, end + 1);
        i = end;
      } else if (e === 'p' || e === 'P') {
        const braced = /^\{([^}]*)\}/.exec(src.slice(i + 1));
        const name = braced ? braced[1]! : src[i + 1];
        if (name === undefined) return undefined;
        i += braced ? braced[0].length : 1;
        piece = propertyEscape(name, e === 'P', set);
      } else if (e === 'Q') {
        const end = src.indexOf('\\E', i + 1);
        const quoted = src.slice(i + 1, end < 0 ? src.length : end);
        // `-` is only escaped inside a class: outside one the u flag refuses `\-`.
        piece = quoted.replace(classDepth > 0 ? /[\^$\\.*+?()[\]{}|/-]/g : /[\^$\\.*+?()[\]{}|/]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
      } else if (/[A-Za-z0-9]/.test(e)) return undefined; // \G, \R, \X, … have no JavaScript form
      else if (SYNTAX.includes(e)) piece = `\\${e}`;
      else if (e === '-') piece = classDepth > 0 ? '\\-' : '-';
      else piece = e; // Java allows escaping any punctuation; the u flag only its syntax characters.
      if (piece === undefined || piece === '\0') return undefined;
      out += piece;
      continue;
    }
    if (classDepth > 0) {
      if (c === '[') {
        if (src[i + 1] === '^') return undefined; // a negated nested class has no flat form
        classDepth++;
      } else if (c === ']') {
        classDepth--;
        if (classDepth === 0) out += ']';
      } else if (c === '&' && src[i + 1] === '&') {
        return undefined; // class intersection
      } else out += c;
      continue;
    }
    switch (c) {
      case '[': {
        classDepth = 1;
        out += '[';
        if (src[i + 1] === '^') out += src[++i];
        // Java reads a `]` right after the opening bracket as a literal.
        if (src[i + 1] === ']') {
          out += '\\]';
          i++;
        }
        break;
      }
      case ']':
      case '}':
        out += `\\${c}`;
        break;
      case '{': {
        const bounds = /^\{\d+(,\d*)?\}/.exec(src.slice(i));
        if (bounds) {
          out += bounds[0];
          i += bounds[0].length - 1;
          afterQuantifier = true;
        } else out += '\\{';
        break;
      }
      case '*':
      case '?':
      case '+':
        // A `+` right after a quantifier makes it possessive in Java; JavaScript has only greedy.
        if (c === '+' && wasQuantifier) break;
        out += c;
        afterQuantifier = c !== '?' || !wasQuantifier;
        break;
      case '(':
        if (src.startsWith('(?>', i)) {
          out += '(?:'; // atomic group: the closest JavaScript has is a plain group
          i += 2;
        } else if (src[i + 1] === '?' && !/^\(\?(:|=|!|<=|<!|<[A-Za-z])/.test(src.slice(i))) {
          return undefined; // inline flags
        } else out += c;
        break;
      default:
        out += c;
    }
  }
  return classDepth === 0 ? { source: out, flags } : undefined;
}

// `\p{…}` in Java: general categories, `Is…` properties and scripts, and POSIX classes.
function propertyEscape(
  name: string,
  negated: boolean,
  set: (contents: string, negated: boolean) => string,
): string | undefined {
  const posix = POSIX[name.startsWith('Is') ? name.slice(2) : name];
  if (posix !== undefined) return set(posix, negated);
  const p = negated ? 'P' : 'p';
  let bare = name.startsWith('Is') ? name.slice(2) : name;
  if (bare.startsWith('general_category=') || bare.startsWith('gc=')) bare = bare.slice(bare.indexOf('=') + 1);
  if (/^(L|Lu|Ll|Lt|Lm|Lo|LC|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Cs|Co|Cn)$/.test(bare)) {
    return `\\${p}{${bare}}`;
  }
  if (name.startsWith('Is')) {
    const binary: Record<string, string> = {
      Alphabetic: 'Alphabetic',
      Letter: 'L',
      Digit: 'Nd',
      Uppercase: 'Uppercase',
      Lowercase: 'Lowercase',
      White_Space: 'White_Space',
      WhiteSpace: 'White_Space',
      Punctuation: 'P',
      Control: 'Cc',
      Ideographic: 'Ideographic',
    };
    const property = binary[bare];
    // Anything else after `Is` is a script name, as in `\p{IsLatin}`.
    return property !== undefined ? `\\${p}{${property}}` : `\\${p}{Script=${bare}}`;
  }
  if (name.startsWith('script=') || name.startsWith('sc=')) return `\\${p}{Script=${name.slice(name.indexOf('=') + 1)}}`;
  return undefined; // blocks (`InGreek`), `java…` classes
}
