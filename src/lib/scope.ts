/** Who asks, where, and when: every domain call is made within one scope. */
export interface Scope {
  /** The 12-digit account that owns the resources. */
  readonly accountId: string;
  /** The region from the request's credential scope; resources are region-scoped. */
  readonly region: string;
  /** The caller's principal ARN (e.g. `arn:aws:iam::000000000000:root`). */
  readonly principalArn: string;
  /** The request time; domain code never reads the clock itself. */
  readonly now: Date;
  /** Who signed the request, when it was signed; absent for the platform's own calls (the root). */
  readonly caller?: Caller;
}

/**
 * The identity behind a request's access key: the account's root, an IAM user, or a session of
 * temporary credentials (an assumed role's, or GetSessionToken's on behalf of the root or a user).
 */
export interface Caller {
  readonly kind: 'root' | 'user' | 'assumed-role';
  /** The principal ARN GetCallerIdentity names (`…:root`, `…:user/<name>`, `arn:aws:sts::…:assumed-role/<role>/<session>`). */
  readonly arn: string;
  /** GetCallerIdentity's UserId: the account id (root), the user id (AIDA…), or `AROA…:<session>`. */
  readonly userId: string;
  readonly accessKeyId: string;
  /** Set when the request carries temporary credentials (a session token). */
  readonly temporary?: boolean;
  /** An assumed role's ARN and its session's policy, for authorisation. */
  readonly roleArn?: string;
  readonly sessionPolicy?: string;
}

/** The root principal of an account. */
export const rootPrincipal = (accountId: string): string => `arn:aws:iam::${accountId}:root`;
