import { xmlEscape } from './aws-error.js';
import type { AwsService } from './service.js';

/**
 * The AWS Query protocol, as far as minato's Query APIs need it: flat string parameters in, flat
 * scalar results out. `Action`, `Version` and the presigning parameters are not operation input.
 */
export function decodeQueryParams(params: URLSearchParams): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k === 'Action' || k === 'Version' || k.startsWith('X-Amz-')) continue;
    input[k] = v;
  }
  return input;
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…` with scalar members. */
export function queryResponseXml(service: AwsService, action: string, output: unknown, requestId: string): string {
  const ns = `https://${service.signingName}.amazonaws.com/doc/${service.model.metadata.apiVersion}/`;
  let members = '';
  for (const [k, v] of Object.entries((output ?? {}) as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    members += `<${k}>${xmlEscape(String(v))}</${k}>`;
  }
  return (
    `<${action}Response xmlns="${ns}"><${action}Result>${members}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}
