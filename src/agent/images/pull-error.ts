/**
 * The vocabulary of pull failures. Registry and unpack code throw {@link RegistryError} with a
 * containerd-style detail (`not found`, `failed to do request: …`); the image store wraps it in an
 * {@link ImagePullError} whose message is the reason ECS reports on a stopped task, e.g.
 * `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref
 * localhost:5000/missing:latest: not found`.
 */

/** What went wrong, for callers that branch on it (retry policy, tests); the message says the rest. */
export const PullErrorKind = {
  InvalidReference: 'InvalidReference',
  NotFound: 'NotFound',
  Unauthorized: 'Unauthorized',
  Network: 'Network',
  Platform: 'Platform',
  Integrity: 'Integrity',
  Unsupported: 'Unsupported',
  InvalidContent: 'InvalidContent',
  Aborted: 'Aborted',
  Internal: 'Internal',
} as const;
/** One of {@link PullErrorKind}. */
export type PullErrorKind = (typeof PullErrorKind)[keyof typeof PullErrorKind];

/** The two phases of a pull, named as ECS names them in its reasons. */
export const PullPhase = {
  /** Resolving the reference to a platform manifest. */
  Manifest: 'pull image manifest',
  /** Fetching and unpacking config and layers. */
  Content: 'ref pull',
} as const;
/** One of {@link PullPhase}. */
export type PullPhase = (typeof PullPhase)[keyof typeof PullPhase];

/** A failure talking to a registry or checking its content; `transient` failures are worth a retry. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly kind: PullErrorKind,
    /** containerd-style text, e.g. `failed to do request: Head "https://…": connect ECONNREFUSED …`. */
    readonly detail: string,
    readonly transient = false,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

/** An image could not be pulled; `message` is ECS's stopped reason (`CannotPullContainerError: …`). */
export class ImagePullError extends Error {
  override readonly name = 'ImagePullError';
  constructor(
    readonly kind: PullErrorKind,
    /** The reason without the `CannotPullContainerError: ` prefix. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`CannotPullContainerError: ${reason}`, options);
  }
}

/**
 * Wraps a failure of a phase after `attempts` tries, in ECS's wording; `aborted` (the caller's
 * signal fired) makes it containerd's `context canceled`, whatever error the abort caused.
 */
export function pullError(phase: PullPhase, attempts: number, err: unknown, canonicalRef?: string, aborted = false): ImagePullError {
  const registryError = err instanceof RegistryError && !aborted ? err : undefined;
  const cancelled = aborted || isAbort(err);
  const kind = registryError?.kind ?? (cancelled ? PullErrorKind.Aborted : PullErrorKind.Internal);
  const detail = registryError?.detail ?? (cancelled ? 'context canceled' : err instanceof Error ? err.message : String(err));
  // containerd prefixes resolution failures with the reference, except the platform mismatch.
  const resolving = phase === PullPhase.Manifest && canonicalRef !== undefined && kind !== PullErrorKind.Platform;
  const body = resolving ? `failed to resolve ref ${canonicalRef}: ${detail}` : detail;
  return new ImagePullError(kind, `${phase} has been retried ${attempts} time(s): ${body}`, { cause: err });
}

/** True for the errors fetch and streams raise when an AbortSignal fires. */
export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR');
}
