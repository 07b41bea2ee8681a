import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Sends a hand-built AWS Query request (`Action=…&Version=…` as a form body), SigV4-signed with
 * @smithy/signature-v4 for `service` (CloudWatch signs as `monitoring`), and returns the status
 * and the XML text. Parameters keep their order; values are form-encoded.
 */
export async function signedQuery(endpoint: string, service: string, params: ReadonlyArray<readonly [string, string]>): Promise<{ status: number; text: string }> {
  const url = new URL(endpoint);
  const body = new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString();
  const request = {
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  };
  const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service, sha256: Sha256 });
  const signed = await signer.sign(request);
  // fetch sets Host itself; the signature covered the same value.
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== 'host'));
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

/** The text of every `<name>` element of an XML answer, in document order. */
export const xmlValues = (xml: string, name: string): string[] => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);
