import { operationModel, shapeModel, type MemberRef, type ServiceModel, type ShapeModel } from '../aws-model/service-model.js';
import { xmlEscape } from './aws-error.js';
import type { AwsService } from './service.js';

/**
 * The AWS Query protocol: form parameters in (`A.member.1.B=…`), XML out. Both directions follow
 * the operation's shapes in the model, so nested structures, lists and maps read and write the
 * way AWS's Query services (STS, CloudWatch) and their SDKs spell them.
 */

/** Parameters that are not operation input: the operation, the version, the presigning fields. */
function isProtocolParam(key: string): boolean {
  return key === 'Action' || key === 'Version' || key.startsWith('X-Amz-');
}

/** Form keys split on dots into a tree; a leaf is the value's text. */
export interface ParamTree {
  [segment: string]: ParamTree | string;
}

/**
 * Reads the form parameters of `operation` into the input structure the JSON protocols would
 * carry: numbers and booleans typed, timestamps as epoch seconds. A value that does not read as
 * its type is kept as text, so that validation answers it with AWS's SerializationException.
 * Parameters the model does not name are ignored, as AWS's Query reader ignores them.
 */
export function decodeQueryInput(model: ServiceModel, operation: string, params: URLSearchParams): Record<string, unknown> {
  const ref = operationModel(model, operation).input;
  const tree: ParamTree = {};
  for (const [key, value] of params) {
    if (isProtocolParam(key)) continue;
    insert(tree, key.split('.'), value);
  }
  if (!ref) return {};
  return (readShape(model, ref.shape, tree) ?? {}) as Record<string, unknown>;
}

/** Puts `value` at `path` (a form key split on dots); the first value of a key wins. */
export function insert(tree: ParamTree, path: string[], value: string): void {
  let node = tree;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const next = Object.hasOwn(node, seg) ? node[seg] : undefined;
    if (typeof next === 'object') node = next;
    else {
      const created: ParamTree = {};
      node[seg] = created;
      node = created;
    }
  }
  const last = path[path.length - 1]!;
  if (!Object.hasOwn(node, last) || typeof node[last] === 'string') node[last] = value;
}

// A query-protocol number: decimal digits, as AWS's Query reader parses them.
const INTEGER_TEXT = /^[-+]?\d+$/;
const DECIMAL_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function readShape(model: ServiceModel, name: string, value: ParamTree | string | undefined): unknown {
  if (value === undefined) return undefined;
  const shape: ShapeModel = shapeModel(model, name);
  switch (shape.type) {
    case 'structure': {
      if (typeof value === 'string') return value;
      const out: Record<string, unknown> = {};
      for (const [member, ref] of Object.entries(shape.members)) {
        const key = ref.locationName ?? member;
        const read = readShape(model, ref.shape, Object.hasOwn(value, key) ? value[key] : undefined);
        if (read !== undefined) out[member] = read;
      }
      return out;
    }
    case 'list': {
      // `List=` (an empty value) is how the Query protocol sends an empty list.
      if (typeof value === 'string') return value === '' ? [] : value;
      const items = shape.member.locationName ? value[shape.member.locationName] : value.member;
      return indexed(items).map((item) => readShape(model, shape.member.shape, item));
    }
    case 'map': {
      if (typeof value === 'string') return value === '' ? {} : value;
      const out: Record<string, unknown> = {};
      for (const entry of indexed(value.entry)) {
        if (typeof entry !== 'object') continue;
        const key = entry[shape.key.locationName ?? 'key'];
        if (typeof key === 'string') out[key] = readShape(model, shape.value.shape, entry[shape.value.locationName ?? 'value']);
      }
      return out;
    }
    default:
      return typeof value === 'string' ? readScalar(shape, value) : value;
  }
}

/** The children `1`, `2`, … of a list node, in index order. */
export function indexed(node: ParamTree | string | undefined): Array<ParamTree | string> {
  if (node === undefined || typeof node === 'string') return [];
  return Object.keys(node)
    .filter((k) => /^[1-9]\d*$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => node[k]!);
}

/** A scalar's text read as its shape's type; text that does not read as it is kept as text. */
export function readScalar(shape: ShapeModel, text: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
      return INTEGER_TEXT.test(text) ? Number(text) : text;
    case 'double':
    case 'float':
      // NaN and the infinities stay text, as the JSON protocols send them.
      return DECIMAL_TEXT.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'timestamp': {
      // ISO 8601 is the Query protocol's format; epoch seconds are read as well.
      if (DECIMAL_TEXT.test(text)) return Number(text);
      const ms = Date.parse(text);
      return Number.isNaN(ms) ? text : ms / 1000;
    }
    default:
      return text;
  }
}

/** The XML namespace of a Query service's documents. */
export function queryNamespace(service: AwsService): string {
  return service.model.metadata.xmlNamespace ?? `https://${service.signingName}.amazonaws.com/doc/${service.model.metadata.apiVersion}/`;
}

/**
 * `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`, the result written from the
 * operation's output shape (timestamps given as epoch seconds, as handlers return them).
 */
export function queryResponseXml(service: AwsService, action: string, output: unknown, requestId: string): string {
  const model = service.model;
  const op = operationModel(model, action);
  let result = '';
  if (op.output) {
    const members = writeMembers(model, op.output.shape, output ?? {});
    result = `<${op.output.resultWrapper ?? `${action}Result`}>${members}</${op.output.resultWrapper ?? `${action}Result`}>`;
  }
  return (
    `<${action}Response xmlns="${queryNamespace(service)}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** The members of a structure as XML elements named by their locationName. */
export function writeMembers(model: ServiceModel, shapeName: string, value: unknown): string {
  const shape = shapeModel(model, shapeName);
  if (shape.type !== 'structure' || typeof value !== 'object' || value === null) return '';
  const record = value as Record<string, unknown>;
  let xml = '';
  for (const [member, ref] of Object.entries(shape.members)) {
    const v = record[member];
    if (v === undefined || v === null) continue;
    xml += writeValue(model, ref, ref.locationName ?? member, v);
  }
  return xml;
}

function writeValue(model: ServiceModel, ref: MemberRef, element: string, value: unknown): string {
  const shape = shapeModel(model, ref.shape);
  switch (shape.type) {
    case 'structure':
      return `<${element}>${writeMembers(model, ref.shape, value)}</${element}>`;
    case 'list': {
      const items = Array.isArray(value) ? value : [];
      const inner = items.map((item) => writeValue(model, shape.member, shape.member.locationName ?? 'member', item)).join('');
      return `<${element}>${inner}</${element}>`;
    }
    case 'map': {
      let inner = '';
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const key = shape.key.locationName ?? 'key';
        const val = shape.value.locationName ?? 'value';
        inner += `<entry><${key}>${xmlEscape(k)}</${key}>${writeValue(model, shape.value, val, v)}</entry>`;
      }
      return `<${element}>${inner}</${element}>`;
    }
    case 'timestamp':
      return `<${element}>${typeof value === 'number' ? new Date(value * 1000).toISOString() : xmlEscape(String(value))}</${element}>`;
    default:
      return `<${element}>${xmlEscape(String(value))}</${element}>`;
  }
}

/**
 * The Query error code of an exception shape: its `error.code` when the model gives one (CloudWatch's
 * InvalidParameterValueException is `InvalidParameterValue` on the Query wire), else its name.
 */
export function queryErrorCode(model: ServiceModel, name: string): string {
  const shape = Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
  return shape?.type === 'structure' && shape.exception ? (shape.error?.code ?? name) : name;
}
