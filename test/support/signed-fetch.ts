import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** Options of a hand-made request, for the cases the SDK would never send. */
export interface RawCall {
  target?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  signingDate?: Date;
  service?: string;
  sign?: boolean;
}

/** Sends a (by default SigV4-signed) JSON 1.1 POST to `endpoint` and returns status, headers and parsed body. */
export async function rawCall(endpoint: string, call: RawCall) {
  const url = new URL(endpoint);
  const body = call.body ?? '{}';
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.1',
    ...(call.target && { 'x-amz-target': call.target }),
    ...call.headers,
  };
  let request = { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers, body };
  if (call.sign !== false) {
    const signer = new SignatureV4({
      credentials: call.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
      region: 'us-east-1',
      service: call.service ?? 'ecs',
      sha256: Sha256,
    });
    request = (await signer.sign(request, call.signingDate ? { signingDate: call.signingDate } : {})) as typeof request;
  }
  // fetch sets Host itself (and refuses to be given one); the signature covered the same value.
  const sent = Object.fromEntries(Object.entries(request.headers).filter(([k]) => k !== 'host'));
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: sent, body });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
