import { DomainError, ErrorKind } from '../lib/errors.js';

/** Whether a request member was given: present and not an empty list. */
export const given = (value: unknown): boolean => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

/**
 * Refuses the first of `members` that is present (UnsupportedFeatureException): members this
 * endpoint does not act on yet are never stored and ignored, as a stack that "succeeds" while
 * nothing happens would mislead.
 */
export function refuseNotActedOn(members: ReadonlyArray<readonly [name: string, present: boolean]>): void {
  const member = members.find(([, present]) => present)?.[0];
  if (member) throw new DomainError(ErrorKind.InvalidArgument, `${member} is not supported by this endpoint yet.`, 'unsupported-feature');
}
