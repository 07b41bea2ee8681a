import { AwsError } from './aws-error.js';
import type { AwsService } from './service.js';

/** Splits `X-Amz-Target: <prefix>.<Operation>`. */
export function splitTarget(target: string): { prefix: string; operation: string } {
  const dot = target.lastIndexOf('.');
  if (dot <= 0) throw new AwsError('UnknownOperationException', `Unknown target ${target}.`);
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

/** The JSON-protocol service whose model declares `prefix` as its target prefix. */
export function jsonServiceFor(services: readonly AwsService[], prefix: string): AwsService | undefined {
  return services.find((s) => s.model.metadata.targetPrefix === prefix && speaks(s, 'json'));
}

/** Whether a service's model lists `protocol` (`metadata.protocols`, else its one `protocol`). */
export function speaks(service: AwsService, protocol: string): boolean {
  const { protocols, protocol: only } = service.model.metadata;
  return protocols ? protocols.includes(protocol) : only === protocol;
}

/** The content type of a JSON-protocol service's bodies: `application/x-amz-json-1.0` or `-1.1`. */
export function jsonContentType(service: AwsService | undefined): string {
  return `application/x-amz-json-${service?.model.metadata.jsonVersion ?? '1.1'}`;
}

/** Parses a JSON 1.0 or 1.1 request body; an empty body is an empty input, as the SDKs send `{}`. */
export function decodeJsonBody(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Could not parse the request body as JSON.');
  }
}
