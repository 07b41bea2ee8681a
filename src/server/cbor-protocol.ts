import { cbor, dateToTag, tagSymbol } from '@smithy/core/cbor';
import { operationModel, shapeModel, type ServiceModel } from '../aws-model/service-model.js';
import { AwsError } from './aws-error.js';
import type { AwsService } from './service.js';

/**
 * Smithy RPC v2 CBOR, the protocol current AWS SDKs send to the services whose models list it
 * first (CloudWatch): `POST /service/<ServiceName>/operation/<Operation>` with the header
 * `smithy-protocol: rpc-v2-cbor` and CBOR bodies; timestamps are tag 1 (epoch seconds), blobs are
 * byte strings, errors are maps with `__type`. The codec is the one the AWS SDK for JavaScript
 * uses itself (`@smithy/core/cbor`), so both sides read the same bytes the same way.
 */

/** The header that names the protocol on requests and responses. */
export const SMITHY_PROTOCOL_HEADER = 'smithy-protocol';
/** Its value for this protocol. */
export const RPC_V2_CBOR = 'rpc-v2-cbor';

const PATH = /\/service\/([^/]+)\/operation\/([^/?]+)$/;

/** The service and operation named by an RPC v2 path, or undefined when `path` is not one. */
export function splitRpcPath(path: string): { serviceName: string; operation: string } | undefined {
  const match = PATH.exec(path);
  if (!match) return undefined;
  return { serviceName: decodeURIComponent(match[1]!), operation: decodeURIComponent(match[2]!) };
}

/** The CBOR-speaking service whose Smithy service name (its JSON target prefix) is `name`. */
export function cborServiceFor(services: readonly AwsService[], name: string): AwsService | undefined {
  return services.find((s) => s.model.metadata.targetPrefix === name && (s.model.metadata.protocols ?? []).includes('smithy-rpc-v2-cbor'));
}

/**
 * Decodes a request body into the input the JSON protocols would carry: timestamps (tag 1) as
 * epoch seconds, byte strings as base64 text, big integers as numbers. An empty body is `{}`.
 */
export function decodeCborBody(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return {};
  let decoded: unknown;
  try {
    decoded = cbor.deserialize(new Uint8Array(body.buffer, body.byteOffset, body.length));
  } catch {
    throw new AwsError('SerializationException', 'Could not parse the request body as CBOR.');
  }
  return fromCbor(decoded);
}

/**
 * Converts the decoded tree in place: it is fresh from the decoder and nobody else's, and a
 * PutMetricData of 1,000 data is some 8,000 values, so copying every object cost more than the
 * few values that change.
 */
function fromCbor(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (needsConversion(item)) value[i] = fromCbor(item);
    }
    return value;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  const record = value as Record<string | symbol, unknown>;
  if (record[tagSymbol] === true) {
    // Tag 1 is an epoch-seconds timestamp, the only tag Smithy sends; anything else is refused.
    if (record.tag === 1 && typeof record.value === 'number') return record.value;
    throw new AwsError('SerializationException', `Unexpected CBOR tag ${String(record.tag)}.`);
  }
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (needsConversion(item)) record[key] = fromCbor(item);
  }
  return record;
}

/** Whether a decoded value may change: strings, numbers, booleans and nulls never do. */
const needsConversion = (value: unknown): boolean => (typeof value === 'object' && value !== null) || typeof value === 'bigint';

/**
 * Encodes an operation's output (timestamps as epoch seconds, as handlers return them), or
 * undefined for an operation without output, whose response has no body.
 */
export function encodeCborOutput(model: ServiceModel, operation: string, output: unknown): Uint8Array | undefined {
  const ref = operationModel(model, operation).output;
  if (!ref) return undefined;
  return cbor.serialize(toCbor(model, ref.shape, output ?? {}));
}

function toCbor(model: ServiceModel, shapeName: string, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = shapeModel(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [member, ref] of Object.entries(shape.members)) {
        const v = toCbor(model, ref.shape, (value as Record<string, unknown>)[member]);
        if (v !== undefined) out[member] = v;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => toCbor(model, shape.member.shape, item));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toCbor(model, shape.value.shape, v);
      return out;
    }
    case 'timestamp':
      return dateToTag(new Date((value as number) * 1000));
    case 'blob':
      return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : value;
    default:
      return value;
  }
}

/** The error body: the SDKs read `__type` and `message`. */
export function cborErrorBody(err: AwsError): Uint8Array {
  return cbor.serialize({ ...err.fields, __type: err.code, message: err.message });
}
