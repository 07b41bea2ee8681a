import { readFileSync } from 'node:fs';

/**
 * Types and loading for AWS's botocore service models (`models/<service>.json`: service-2.json with
 * the documentation removed, plus the paginators). The models are data, read once per process, so
 * request validation, error names and pagination limits follow the published API instead of a copy
 * of it kept by hand.
 */

/** The `metadata` block of a service model: protocol, versions and signing names. */
export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: string;
  protocols?: string[];
  serviceId: string;
  serviceFullName?: string;
  serviceAbbreviation?: string;
  signatureVersion?: string;
  signingName?: string;
  targetPrefix?: string;
  jsonVersion?: string;
  xmlNamespace?: string;
  globalEndpoint?: string;
  uid?: string;
  auth?: string[];
  /**
   * Present on services that moved from the Query protocol to JSON or CBOR (CloudWatch): their
   * errors also carry the Query error code, in the `x-amzn-query-error` header.
   */
  awsQueryCompatible?: Record<string, never>;
}

/** A reference from a structure member, list member or map key/value to a named shape. */
export interface MemberRef {
  shape: string;
  box?: boolean;
  deprecated?: boolean;
  deprecatedSince?: string;
  idempotencyToken?: boolean;
  location?: string;
  locationName?: string;
  jsonvalue?: boolean;
}

/** Fields every shape may carry. */
interface ShapeCommon {
  sensitive?: boolean;
  deprecated?: boolean;
  deprecatedSince?: string;
}

/** A structure: named members, some required; also exceptions, unions and untyped documents. */
export interface StructureShape extends ShapeCommon {
  type: 'structure';
  members: Record<string, MemberRef>;
  required?: string[];
  /** True for an exception shape (an error an operation can answer with). */
  exception?: boolean;
  /** True for a server-side (5xx) exception. */
  fault?: boolean;
  /** Query-protocol error code and status when they differ from the shape name. */
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  /** True for a Smithy document: any JSON value, not checked member by member. */
  document?: boolean;
  /** True when exactly one member may be set. */
  union?: boolean;
}

/** A list of one member shape; `min`/`max` bound its size. */
export interface ListShape extends ShapeCommon {
  type: 'list';
  member: MemberRef;
  min?: number;
  max?: number;
}

/** A map from a string key shape to a value shape; `min`/`max` bound its size. */
export interface MapShape extends ShapeCommon {
  type: 'map';
  key: MemberRef;
  value: MemberRef;
  min?: number;
  max?: number;
}

/** A string; `min`/`max` bound its length, `pattern` is a Java regex, `enum` the allowed values. */
export interface StringShape extends ShapeCommon {
  type: 'string';
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
}

/** An integral number (`integer` is 32-bit, `long` 64-bit); `min`/`max` bound its value. */
export interface IntegralShape extends ShapeCommon {
  type: 'integer' | 'long';
  box?: boolean;
  min?: number;
  max?: number;
}

/** A floating-point number; `min`/`max` bound its value. */
export interface FloatingShape extends ShapeCommon {
  type: 'double' | 'float';
  box?: boolean;
  min?: number;
  max?: number;
}

/** A boolean. */
export interface BooleanShape extends ShapeCommon {
  type: 'boolean';
  box?: boolean;
}

/** A point in time; on the JSON protocol, epoch seconds unless `timestampFormat` says otherwise. */
export interface TimestampShape extends ShapeCommon {
  type: 'timestamp';
  timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp';
}

/** Bytes, base64-encoded on the JSON protocol; `min`/`max` bound the decoded length. */
export interface BlobShape extends ShapeCommon {
  type: 'blob';
  min?: number;
  max?: number;
  streaming?: boolean;
}

/** Any shape of a service model, discriminated on `type`. */
export type ShapeModel =
  | StructureShape
  | ListShape
  | MapShape
  | StringShape
  | IntegralShape
  | FloatingShape
  | BooleanShape
  | TimestampShape
  | BlobShape;

/** One operation: its input and output shapes and the exceptions it is modelled to answer with. */
export interface OperationModel {
  name: string;
  http?: { method: string; requestUri: string; responseCode?: number };
  input?: MemberRef;
  output?: MemberRef & { resultWrapper?: string };
  errors?: MemberRef[];
  idempotent?: boolean;
  readonly?: boolean;
  deprecated?: boolean;
  authtype?: string;
  auth?: string[];
}

/** How one list operation pages: the token members, the page-size member and the result list(s). */
export interface PaginatorModel {
  // botocore allows token lists for a few services; the models imported here use single names.
  input_token?: string;
  output_token?: string;
  limit_key?: string;
  result_key?: string | string[];
}

/** A loaded AWS service model. */
export interface ServiceModel {
  metadata: ServiceMetadata;
  operations: Record<string, OperationModel>;
  shapes: Record<string, ShapeModel>;
  paginators?: Record<string, PaginatorModel>;
}

const models = new Map<string, ServiceModel>();

// Only plain names, so that a name can never walk out of the models directory.
const MODEL_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Reads `models/<name>.json` from the package root, once per process. The file is found relative to
 * this module: it lives in `src/aws-model/` when run from source and `dist/aws-model/` when
 * compiled, and both sit two levels below the root.
 */
export function loadServiceModel(name: 'ecs' | 'sts' | (string & Record<never, never>)): ServiceModel {
  const cached = models.get(name);
  if (cached) return cached;
  if (!MODEL_NAME.test(name)) throw new Error(`Invalid service model name: ${JSON.stringify(name)}`);
  const url = new URL(`../../models/${name}.json`, import.meta.url);
  const parsed = JSON.parse(readFileSync(url, 'utf8')) as Partial<ServiceModel> | null;
  if (!parsed || typeof parsed.operations !== 'object' || typeof parsed.shapes !== 'object') {
    throw new Error(`models/${name}.json is not a service model`);
  }
  const model = parsed as ServiceModel;
  models.set(name, model);
  return model;
}

// Per model, so that a test's hand-made model never shares entries with a loaded one.
const errorSets = new WeakMap<ServiceModel, Map<string, ReadonlySet<string>>>();

/** The exception shape names an operation is modelled to answer with (`operations[op].errors`). */
export function operationErrors(model: ServiceModel, operation: string): ReadonlySet<string> {
  let byOperation = errorSets.get(model);
  if (!byOperation) {
    byOperation = new Map();
    errorSets.set(model, byOperation);
  }
  let names = byOperation.get(operation);
  if (!names) {
    const op = operationModel(model, operation);
    names = new Set((op.errors ?? []).map((e) => e.shape));
    byOperation.set(operation, names);
  }
  return names;
}

/** The HTTP status the model gives an exception shape (IAM's NoSuchEntity 404, SNS's NotFound 404…), if any. */
export function errorHttpStatus(model: ServiceModel, shapeName: string): number | undefined {
  const shape = model.shapes[shapeName] as { error?: { httpStatusCode?: number } } | undefined;
  return shape?.error?.httpStatusCode;
}

/** The named operation of a model; throws when the model has no such operation. */
export function operationModel(model: ServiceModel, operation: string): OperationModel {
  // Own properties only: an operation named like an Object.prototype member is not an operation.
  const op = Object.hasOwn(model.operations, operation) ? model.operations[operation] : undefined;
  if (!op) throw new Error(`Unknown operation ${operation} in ${model.metadata.serviceId} model`);
  return op;
}

/** The named shape of a model; throws when the model does not define it. */
export function shapeModel(model: ServiceModel, name: string): ShapeModel {
  const shape = Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
  if (!shape) throw new Error(`Unknown shape ${name} in ${model.metadata.serviceId} model`);
  return shape;
}
