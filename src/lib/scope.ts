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
}

/** The root principal of an account. */
export const rootPrincipal = (accountId: string): string => `arn:aws:iam::${accountId}:root`;
