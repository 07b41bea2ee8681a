import { UpstreamClient, type UpstreamCredentials } from './upstream.js';
import { upstreamCredentialsError } from './upstream-errors.js';

/** Reads a Secrets Manager secret by ARN: its SecretString. */
export type SecretResolver = (arn: string) => Promise<string>;

/**
 * The upstream credentials a secret holds: ECR's format for pull through cache secrets is
 * `{"username": …, "accessToken": …}`; `password` is accepted in place of `accessToken`.
 */
export function parseUpstreamSecret(text: string, arn: string): UpstreamCredentials {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const { username, accessToken, password } = (value ?? {}) as Record<string, unknown>;
  const secret = accessToken ?? password;
  if (typeof username !== 'string' || typeof secret !== 'string' || username === '' || secret === '') {
    throw upstreamCredentialsError(`The secret ${arn} of the pull through cache rule must hold {"username": "…", "accessToken": "…"} ("password" is accepted for "accessToken").`);
  }
  return { username, password: secret };
}

/**
 * One upstream client per upstream URL and credential: clients keep tokens, so they live as long
 * as the registry. Secrets are read when an upstream asks for credentials, not cached: a rotated
 * secret takes effect at the next challenge.
 */
export class UpstreamClients {
  private readonly clients = new Map<string, UpstreamClient>();

  constructor(private readonly resolveSecret?: SecretResolver) {}

  /** The client of a rule's upstream, with the rule's credentials. */
  for(rule: { upstreamRegistryUrl: string; credentialArn?: string }): UpstreamClient {
    const arn = rule.credentialArn;
    const key = `${rule.upstreamRegistryUrl} ${arn ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new UpstreamClient(rule.upstreamRegistryUrl, arn === undefined ? undefined : () => this.credentials(arn));
      this.clients.set(key, client);
    }
    return client;
  }

  private async credentials(arn: string): Promise<UpstreamCredentials> {
    if (!this.resolveSecret) {
      throw upstreamCredentialsError(`The pull through cache rule names the secret ${arn}, but this registry cannot read secrets.`);
    }
    let text: string;
    try {
      text = await this.resolveSecret(arn);
    } catch (err) {
      throw upstreamCredentialsError(`The secret ${arn} of the pull through cache rule could not be read: ${(err as Error).message}`);
    }
    return parseUpstreamSecret(text, arn);
  }
}
