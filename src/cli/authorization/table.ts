import type { AuthorizationCheck } from '../../iam/authorization.js';
import { formatArn } from '../../lib/arn.js';
import type { Scope } from '../../lib/scope.js';

/**
 * What one API's operations are authorised for: the action is `<prefix>:<Operation>` for every
 * operation; the resources are the ARNs an operation acts on where AWS's Service Authorization
 * Reference gives the action resource-level permissions, read from the (model-validated) input.
 * An operation the table does not list is authorised on `*`, so nothing a service serves escapes
 * authorisation for want of a row.
 */
export interface AuthorizationTable {
  /** The IAM service prefix, e.g. `ecs`, `elasticloadbalancing`. */
  readonly prefix: string;
  /** How the API answers a refusal. */
  readonly denial: Denial;
  /** The resource ARNs of the operations with resource-level permissions; an empty list means `*`. */
  readonly resources: Readonly<Record<string, Resources>>;
  /** The resources of the operations `resources` does not list, for APIs whose inputs name them uniformly (IAM, EC2, ELB). */
  readonly fallback?: Resources;
  /** Checks an operation needs besides its own action (e.g. BatchGetSecretValue: GetSecretValue on each secret). */
  readonly also?: Readonly<Record<string, Further>>;
  /** The service's own condition keys the request sets (e.g. `ecs:cluster`). */
  readonly context?: (input: Input, scope: Scope, operation: string) => Readonly<Record<string, readonly string[]>> | undefined;
  /** Operations AWS never refuses, whatever the policies (sts:GetCallerIdentity). */
  readonly unrestricted?: readonly string[];
}

/** The error of a refused request: its code, HTTP status and how the message is worded. */
export interface Denial {
  readonly code: string;
  readonly status: number;
  /** The message around IAM's "User: … is not authorized to perform: …" sentence, when it differs. */
  readonly message?: (reason: string) => string;
}

// Inputs arrive validated against the operation's model shape, so the readers may narrow them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Input = any;
export type Resources = (input: Input, scope: Scope, operation: string) => readonly (string | undefined)[] | Promise<readonly (string | undefined)[]>;
export type Further = (input: Input, scope: Scope) => readonly AuthorizationCheck[] | Promise<readonly AuthorizationCheck[]>;

/** JSON services: AccessDeniedException, 400. */
export const ACCESS_DENIED_EXCEPTION: Denial = { code: 'AccessDeniedException', status: 400 };
/** Query services (IAM, STS, ELB, CloudWatch): AccessDenied, 403. */
export const ACCESS_DENIED: Denial = { code: 'AccessDenied', status: 403 };

/** An ARN of `service` in the request's region and account. */
export const regional = (service: string, scope: Scope, resource: string): string => formatArn(service, scope.region, scope.accountId, resource);

/** An ARN of a global service (IAM): no region. */
export const global = (service: string, scope: Scope, resource: string): string => formatArn(service, '', scope.accountId, resource);

/** A value that may be a name or an ARN: the ARN as given, else the one `build` makes of the name. */
export const nameOrArn = (value: string | undefined, build: (name: string) => string): string | undefined =>
  value === undefined || value === '' ? undefined : value.startsWith('arn:') ? value : build(value);

/** The last path segment of a name or ARN (`cluster/web` → `web`). */
export const lastSegment = (value: string): string => value.slice(value.lastIndexOf('/') + 1);

/** A list member, or none. */
export const each = (values: readonly string[] | undefined, build: (value: string) => string | undefined): (string | undefined)[] => (values ?? []).map(build);

/**
 * The tags a request sets, for `aws:RequestTag/<key>` and `aws:TagKeys`: the `tags`/`Tags` member
 * as a list of key/value pairs (any case) or a map.
 */
export function requestTags(input: Input): Record<string, string> | undefined {
  const tags: unknown = input?.tags ?? input?.Tags;
  if (tags === undefined || tags === null || typeof tags !== 'object') return undefined;
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    for (const t of tags as Record<string, unknown>[]) {
      const key = t?.key ?? t?.Key;
      const value = t?.value ?? t?.Value ?? '';
      if (typeof key === 'string') out[key] = String(value);
    }
  } else {
    for (const [k, v] of Object.entries(tags as Record<string, unknown>)) out[k] = String(v);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
