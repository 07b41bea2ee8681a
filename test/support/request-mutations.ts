import type { ServiceModel, ShapeModel } from '../../src/aws-model/service-model.js';

/** Where a value sits in a request body: the body itself, a member, a list element, a map value, or an unmodelled member. */
export type Place = 'body' | 'member' | 'element' | 'mapValue' | 'unmodelled';

/** One position of a request body that a mutation can replace, with the shape the model gives it. */
export interface Position {
  path: Array<string | number>;
  place: Place;
  shape: ShapeModel | undefined;
}

/** How a request is broken: JSON null, a value of another JSON type, or a value the model's constraints forbid. */
export type MutationKind = 'null' | 'wrongType' | 'constraint';

/** Every position of `value` (a body of `shapeName`), the body itself first. */
export function positionsOf(model: ServiceModel, shapeName: string | undefined, value: unknown): Position[] {
  const out: Position[] = [];
  walk(model, shapeName === undefined ? undefined : model.shapes[shapeName], value, [], 'body', out);
  return out;
}

function walk(model: ServiceModel, shape: ShapeModel | undefined, value: unknown, path: Array<string | number>, place: Place, out: Position[]): void {
  out.push({ path, place, shape });
  if (shape === undefined || value === null || typeof value !== 'object') return;
  if (shape.type === 'structure' && !shape.document && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) {
      const ref = Object.hasOwn(shape.members, key) ? shape.members[key] : undefined;
      if (ref) walk(model, model.shapes[ref.shape], item, [...path, key], 'member', out);
      else out.push({ path: [...path, key], place: 'unmodelled', shape: undefined });
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, i) => walk(model, model.shapes[shape.member.shape], item, [...path, i], 'element', out));
  } else if (shape.type === 'map' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) walk(model, model.shapes[shape.value.shape], item, [...path, key], 'mapValue', out);
  }
}

/** Values of JSON types `shape` does not take (any JSON type where the model says nothing). */
function wrongTypes(shape: ShapeModel | undefined): unknown[] {
  switch (shape?.type) {
    case 'structure':
      return shape.document ? [] : ['x', 7, [1], true];
    case 'map':
      return ['x', 7, [1], true];
    case 'list':
      return ['x', 7, { a: 1 }, true];
    case 'string':
      return [7, true, ['x'], { a: 'x' }];
    case 'integer':
    case 'long':
      return ['7', 1.5, true, [1], {}];
    case 'double':
    case 'float':
      return ['x', true, [], {}];
    case 'boolean':
      return ['true', 1, [], {}];
    case 'timestamp':
      return [true, [], {}, 'not a date'];
    case 'blob':
      return [7, 'not base64!', [], {}];
    default:
      return ['x', 7, true, [], {}];
  }
}

// Longer strings than this are not built: they would only meet the body limit.
const LONGEST_BUILT = 100_000;

/** A value of the right JSON type that breaks one of `shape`'s constraints, when the model gives one. */
function forbidden(shape: ShapeModel | undefined): unknown[] {
  switch (shape?.type) {
    case 'string': {
      const out: unknown[] = [];
      if (shape.enum) out.push('NOT_IN_THE_ENUM');
      if (shape.max !== undefined && shape.max < LONGEST_BUILT) out.push('a'.repeat(shape.max + 1));
      if (shape.min !== undefined && shape.min > 0) out.push('');
      if (shape.pattern !== undefined) out.push('\u0000 \u{1F600} ]');
      return out;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return [
        ...(shape.max !== undefined ? [shape.max + 1] : []),
        ...(shape.min !== undefined ? [shape.min - 1] : []),
        ...(shape.type === 'integer' ? [2 ** 31] : []),
      ];
    case 'list':
      return [...(shape.min !== undefined && shape.min > 0 ? [[]] : []), ...(shape.max !== undefined && shape.max < 1000 ? [Array(shape.max + 1).fill('x')] : [])];
    case 'map':
      return shape.min !== undefined && shape.min > 0 ? [{}] : [];
    case 'blob':
      return shape.max !== undefined && shape.max < LONGEST_BUILT ? [Buffer.alloc(shape.max + 1).toString('base64')] : [];
    default:
      return [];
  }
}

/** The replacement a mutation puts at `position`; `pick` chooses among candidates. Undefined when there is none. */
export function replacementFor(kind: MutationKind, position: Position, pick: number): { value: unknown } | undefined {
  if (kind === 'null') return { value: null };
  const candidates = kind === 'wrongType' ? wrongTypes(position.shape) : forbidden(position.shape);
  if (candidates.length === 0) return undefined;
  return { value: candidates[pick % candidates.length] };
}

/** A deep copy of `body` with `value` at `path` (the whole body when the path is empty). */
export function withValueAt(body: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

/** A body as the Query protocol sends it: nested members as `A.B`, list elements as `A.member.N`, nulls left out. */
export function queryForm(value: unknown, prefix = '', out = new URLSearchParams()): URLSearchParams {
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) value.forEach((item, i) => queryForm(item, `${prefix}.member.${i + 1}`, out));
  else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) queryForm(item, prefix === '' ? key : `${prefix}.${key}`, out);
  } else out.append(prefix === '' ? 'Body' : prefix, String(value));
  return out;
}
