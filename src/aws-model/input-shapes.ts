import {
  operationModel,
  shapeModel,
  type ServiceModel,
  type ShapeModel,
  type StructureShape,
} from './service-model.js';
import { javaPatternToRegExp } from './java-pattern.js';

/**
 * An operation's input shape compiled once per model into a small node graph (patterns compiled,
 * enums in Sets, required flags on members), so that checking a request walks it without allocating.
 */

/** The kinds of compiled node; a check switches on them. */
export enum Kind {
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

/** A structure member: its wire name, node and whether it is required. */
export interface Member {
  /** Wire name, as the body spells it. */
  readonly name: string;
  readonly node: Node;
  readonly required: boolean;
  /** True when the name is also an Object.prototype member, so a plain lookup could find that. */
  readonly inherited: boolean;
}

/** What every node has: its shape's name and whether AWS hides its values. */
export interface NodeBase {
  readonly shape: string;
  readonly sensitive: boolean;
}
/** A compiled structure shape. */
export interface StructureNode extends NodeBase {
  readonly kind: Kind.Structure;
  members: Member[];
}
/** A compiled list shape. */
export interface ListNode extends NodeBase {
  readonly kind: Kind.List;
  member: Node;
  readonly min: number;
  readonly max: number;
}
/** A compiled map shape. */
export interface MapNode extends NodeBase {
  readonly kind: Kind.Map;
  key: Node;
  value: Node;
  readonly min: number;
  readonly max: number;
}
/** A compiled string shape. */
export interface StringNode extends NodeBase {
  readonly kind: Kind.String;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp | undefined;
  readonly patternSource: string;
  readonly enumSet: ReadonlySet<string> | undefined;
  readonly enumText: string;
}
/** A compiled number shape. */
export interface NumberNode extends NodeBase {
  readonly kind: Kind.Integer | Kind.Long | Kind.Floating;
  /** The Java type in messages: "an Integer", "a Long", "a Double", "a Float". */
  readonly target: string;
  readonly min: number;
  readonly max: number;
  /** True on the query protocol, where every scalar arrives as a string. */
  readonly fromText: boolean;
}
/** A compiled boolean shape. */
export interface BooleanNode extends NodeBase {
  readonly kind: Kind.Boolean;
  readonly fromText: boolean;
}
/** A compiled blob shape. */
export interface BlobNode extends NodeBase {
  readonly kind: Kind.Blob;
  readonly min: number;
  readonly max: number;
}
/** A compiled plain shape. */
export interface PlainNode extends NodeBase {
  readonly kind: Kind.Timestamp | Kind.Any;
}
/** A compiled shape. */
export type Node = StructureNode | ListNode | MapNode | StringNode | NumberNode | BooleanNode | BlobNode | PlainNode;

const compiled = new WeakMap<ServiceModel, { shapes: Map<string, Node>; roots: Map<string, Node> }>();

function cacheOf(model: ServiceModel): { shapes: Map<string, Node>; roots: Map<string, Node> } {
  let cache = compiled.get(model);
  if (!cache) {
    cache = { shapes: new Map(), roots: new Map() };
    compiled.set(model, cache);
  }
  return cache;
}

/** The compiled input shape of `operation` (compiled on first use, then cached per model). */
export function rootNode(model: ServiceModel, operation: string): Node {
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
