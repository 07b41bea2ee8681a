/**
 * The console's AWS client: every call is a signed POST to the endpoint's root, in the protocol the
 * CLI uses for that API (JSON 1.0/1.1 with X-Amz-Target, or Query with Action and Version).
 */
import { AwsCallError, jsonErrorCode, jsonErrorMessage } from './errors.js';
import { signedHeaders, type Credentials } from './signer.js';

/** A JSON-protocol API, as its model declares it. */
export interface JsonApi {
  readonly signingName: string;
  readonly targetPrefix: string;
  readonly jsonVersion: '1.0' | '1.1';
}

export const ECS: JsonApi = { signingName: 'ecs', targetPrefix: 'AmazonEC2ContainerServiceV20141113', jsonVersion: '1.1' };
export const LOGS: JsonApi = { signingName: 'logs', targetPrefix: 'Logs_20140328', jsonVersion: '1.1' };
export const ECR: JsonApi = { signingName: 'ecr', targetPrefix: 'AmazonEC2ContainerRegistry_V20150921', jsonVersion: '1.1' };
export const SECRETS: JsonApi = { signingName: 'secretsmanager', targetPrefix: 'secretsmanager', jsonVersion: '1.1' };
export const SSM: JsonApi = { signingName: 'ssm', targetPrefix: 'AmazonSSM', jsonVersion: '1.1' };
export const CLOUDWATCH: JsonApi = { signingName: 'monitoring', targetPrefix: 'GraniteServiceVersion20100801', jsonVersion: '1.0' };
export const AUTOSCALING: JsonApi = { signingName: 'application-autoscaling', targetPrefix: 'AnyScaleFrontendService', jsonVersion: '1.1' };

/** A Query-protocol API. */
export interface QueryApi {
  readonly signingName: string;
  readonly version: string;
}

export const STS: QueryApi = { signingName: 'sts', version: '2011-06-15' };
export const ELBV2: QueryApi = { signingName: 'elasticloadbalancing', version: '2015-12-01' };

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Calls the APIs with one set of credentials, on the page's own origin. */
export class AwsClient {
  constructor(
    readonly credentials: Credentials,
    private readonly origin: string = location.origin,
    private readonly fetchFn: Fetch = (url, init) => fetch(url, init),
    /** Told when the endpoint refuses the credentials themselves. */
    private readonly onAuthFailure: (err: AwsCallError) => void = () => {},
  ) {}

  /** One JSON-protocol call; the parsed output. */
  async json<T>(api: JsonApi, operation: string, input: object = {}): Promise<T> {
    const body = JSON.stringify(input);
    const response = await this.send(api.signingName, body, {
      'content-type': `application/x-amz-json-${api.jsonVersion}`,
      'x-amz-target': `${api.targetPrefix}.${operation}`,
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (!response.ok) this.fail(new AwsCallError(jsonErrorCode(parsed, response.headers.get('x-amzn-errortype')), jsonErrorMessage(parsed), response.status));
    return parsed as T;
  }

  /** One Query-protocol call; the response document (XML). */
  async query(api: QueryApi, action: string, params: Readonly<Record<string, string>> = {}): Promise<Document> {
    const form = new URLSearchParams({ Action: action, Version: api.version, ...params });
    const response = await this.send(api.signingName, form.toString(), { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
    const doc = new DOMParser().parseFromString(await response.text(), 'application/xml');
    if (!response.ok) {
      const code = doc.querySelector('Error > Code')?.textContent ?? 'UnknownError';
      this.fail(new AwsCallError(code, doc.querySelector('Error > Message')?.textContent ?? '', response.status));
    }
    return doc;
  }

  private async send(signingName: string, body: string, headers: Record<string, string>): Promise<Response> {
    const host = new URL(this.origin).host;
    const signed = await signedHeaders(this.credentials, { host, signingName, headers, body });
    // Credentials travel only in the signature headers: never in the URL, so no log or history keeps them.
    return this.fetchFn(`${this.origin}/`, { method: 'POST', headers: signed, body, credentials: 'omit', cache: 'no-store' });
  }

  private fail(err: AwsCallError): never {
    if (err.isAuthFailure) this.onAuthFailure(err);
    throw err;
  }
}

/** Follows `nextToken` pages of a list call, up to `limit` items. */
export async function collectPages<P extends { nextToken?: string }, T>(
  page: (nextToken: string | undefined) => Promise<P>,
  items: (p: P) => readonly T[] | undefined,
  limit = 10_000,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    all.push(...(items(p) ?? []));
    token = p.nextToken;
  } while (token && all.length < limit);
  return all;
}

/** Splits a list into chunks of `size` (Describe* calls take at most 100 names). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
