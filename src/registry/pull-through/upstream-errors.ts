import { ErrorKind, type DomainError } from '../../lib/errors.js';
import { registryError, RegistrySubject } from '../errors.js';

/**
 * What a failed upstream request means to the client of the pull through cache: refused
 * credentials are DENIED (the client's own credentials were fine, so not UNAUTHORIZED, which would
 * send it to log in again), throttling is TOOMANYREQUESTS, anything else (5xx, unexpected answers,
 * an unreachable upstream) is the upstream's failure, a 502 (`http/oci-errors.ts`).
 */
export function upstreamStatusError(status: number, what: string, baseUrl: string): DomainError {
  if (status === 401 || status === 403) {
    return registryError(
      ErrorKind.AccessDenied,
      RegistrySubject.UpstreamDenied,
      `The upstream registry ${baseUrl} refused access to ${what} (HTTP ${status}): check the credentials (credentialArn) of the pull through cache rule.`,
    );
  }
  if (status === 429) {
    return registryError(ErrorKind.LimitExceeded, RegistrySubject.UpstreamThrottled, `The upstream registry ${baseUrl} is throttling requests for ${what} (HTTP 429).`);
  }
  return upstreamFailure(`The upstream registry ${baseUrl} answered HTTP ${status} for ${what}.`);
}

/** The upstream could not be asked or answered nonsense (OCI UNKNOWN, HTTP 502). */
export const upstreamFailure = (message: string): DomainError => registryError(ErrorKind.Unavailable, RegistrySubject.Upstream, message);

/** The rule's credentials could not be obtained or are malformed (OCI DENIED). */
export const upstreamCredentialsError = (message: string): DomainError => registryError(ErrorKind.AccessDenied, RegistrySubject.UpstreamDenied, message);
