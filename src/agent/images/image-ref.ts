/**
 * Docker-style image references as they appear in ECS container definitions (`busybox`,
 * `localhost:5000/app:1`, `123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:…`), following
 * the grammar of the distribution project's reference package and Docker's defaulting rules.
 */
import { invalidParameter } from '../../lib/errors.js';

/** A parsed image reference. */
export interface ImageRef {
  /** The registry host (and port) to contact; Docker Hub is `registry-1.docker.io`. */
  readonly registry: string;
  /** The registry's name as users write it (`docker.io` for Docker Hub), for messages. */
  readonly domain: string;
  /** The repository path within the registry (`library/busybox`). */
  readonly repository: string;
  /** The tag; `latest` when neither tag nor digest is given, absent for digest-only references. */
  readonly tag?: string;
  /** The manifest digest (`sha256:<hex>`); when given it wins over the tag. */
  readonly digest?: string;
  /** What to ask the registry for: the digest if any, else the tag. */
  readonly reference: string;
  /** The fully qualified reference (`docker.io/library/busybox:latest`), as containerd prints it. */
  readonly canonical: string;
}

/** Docker Hub's canonical domain and the host its API actually answers on. */
export const DOCKER_HUB_DOMAIN = 'docker.io';
export const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';

const MAX_NAME_LENGTH = 255;
// The grammar of github.com/distribution/reference: lowercase path components joined by
// `.`, `_`, `__` or runs of `-`; domain components of letters, digits and inner hyphens;
// optional port; or a bracketed IPv6 address.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;
/** Hex lengths of the digest algorithms registries use. */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

const invalid = (reason?: string) => invalidParameter(reason ? `invalid reference format: ${reason}` : 'invalid reference format');

/** Checks `algorithm:hex` and returns it; only sha256 and sha512 are accepted. */
export function parseDigest(digest: string): { algorithm: 'sha256' | 'sha512'; hex: string } {
  const match = DIGEST.exec(digest);
  if (!match) throw invalid(`invalid digest ${JSON.stringify(digest)}`);
  const [, algorithm, hex] = match as unknown as [string, string, string];
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) throw invalid(`unsupported digest algorithm ${algorithm}`);
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) throw invalid(`invalid checksum digest format ${JSON.stringify(digest)}`);
  return { algorithm: algorithm as 'sha256' | 'sha512', hex };
}

/** Docker's rule: the first component names a registry if it has a `.` or `:`, is `localhost`, or has uppercase. */
function isDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component !== component.toLowerCase();
}

/** Parses an image reference, applying Docker Hub defaults (`library/`, `latest`). */
export function parseImageRef(image: string): ImageRef {
  if (image.length === 0) throw invalid('repository name must have at least one component');
  if (image !== image.trim()) throw invalid('leading or trailing whitespace');

  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    parseDigest(digest);
  }
  // A tag follows the last `:` that comes after the last `/` (a `:` before it is a port).
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(`invalid tag ${JSON.stringify(tag)}`);
  }

  const slash = rest.indexOf('/');
  let domain = DOCKER_HUB_DOMAIN;
  let path = rest;
  if (slash >= 0 && isDomain(rest.slice(0, slash))) {
    domain = rest.slice(0, slash);
    path = rest.slice(slash + 1);
    if (!DOMAIN.test(domain)) throw invalid(`invalid registry ${JSON.stringify(domain)}`);
  }
  if (path.length === 0) throw invalid('repository name must have at least one component');
  if (path !== path.toLowerCase()) throw invalid('repository name must be lowercase');
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) throw invalid(`invalid repository name component ${JSON.stringify(component)}`);
  }
  if (domain === 'index.docker.io') domain = DOCKER_HUB_DOMAIN;
  const hub = domain === DOCKER_HUB_DOMAIN;
  if (hub && !path.includes('/')) path = `library/${path}`;
  if (`${domain}/${path}`.length > MAX_NAME_LENGTH) throw invalid(`repository name must not be more than ${MAX_NAME_LENGTH} characters`);

  if (tag === undefined && digest === undefined) tag = 'latest';
  const canonical = `${domain}/${path}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  return {
    registry: hub ? DOCKER_HUB_REGISTRY : domain,
    domain,
    repository: path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    reference: digest ?? tag!,
    canonical,
  };
}
