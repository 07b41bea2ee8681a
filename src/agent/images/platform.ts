/**
 * The host's platform and the choice of one manifest from an index, as containerd's default
 * matcher does it: same OS and architecture, a compatible variant, attestations skipped.
 */
import type { Descriptor, Platform } from './manifest.js';

/** Node's `process.arch` names mapped to OCI architecture names. */
const ARCHITECTURES: Readonly<Record<string, string>> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** Variants assumed when an image names none (`arm64` is `v8`, `amd64` is `v1`). */
const DEFAULT_VARIANT: Readonly<Record<string, string>> = { arm64: 'v8', amd64: 'v1' };

/** The platform of this host: linux and `process.arch` in OCI terms (arm64 has variant v8). */
export function hostPlatform(arch: string = process.arch): Platform {
  const architecture = ARCHITECTURES[arch] ?? arch;
  if (architecture === 'arm64') return { os: 'linux', architecture, variant: 'v8' };
  if (architecture === 'arm') {
    const version = (process.config.variables as { arm_version?: string }).arm_version;
    return { os: 'linux', architecture, variant: `v${version ?? '7'}` };
  }
  return { os: 'linux', architecture };
}

/** `linux/amd64`, `linux/arm64/v8`: the form ECS prints in its platform mismatch reason. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, ...(platform.variant ? [platform.variant] : [])].join('/');
}

function normalizeArchitecture(architecture: string): string {
  const lower = architecture.toLowerCase();
  if (lower === 'x86_64' || lower === 'x86-64') return 'amd64';
  if (lower === 'aarch64') return 'arm64';
  return lower;
}

/**
 * How well `candidate` fits `want`: 2 exact variant, 1 compatible (the default variant, or none),
 * 0 no match. An arm host with variant v7 also runs v6 and v5 images, but prefers v7.
 */
export function platformScore(candidate: Platform, want: Platform): number {
  if (candidate.os.toLowerCase() !== want.os.toLowerCase()) return 0;
  const architecture = normalizeArchitecture(candidate.architecture);
  if (architecture !== normalizeArchitecture(want.architecture)) return 0;
  const defaultVariant = DEFAULT_VARIANT[architecture];
  const have = candidate.variant ?? defaultVariant;
  const need = want.variant ?? defaultVariant;
  if (have === need) return 2;
  if (have === undefined) return 1;
  if (architecture === 'arm' && need !== undefined && /^v\d+$/.test(have) && /^v\d+$/.test(need)) {
    return Number(have.slice(1)) <= Number(need.slice(1)) ? 1 : 0;
  }
  return 0;
}

/**
 * The best manifest of an index for `want`, or undefined; among equals the first listed wins. A
 * manifest listed without a platform (the field is optional) is taken only when nothing matches.
 */
export function selectManifest(manifests: readonly Descriptor[], want: Platform): Descriptor | undefined {
  let best: Descriptor | undefined;
  let bestScore = 0;
  for (const manifest of manifests) {
    // Build attestations are listed as manifests of platform unknown/unknown: never an image.
    if (manifest.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
    const score = manifest.platform ? platformScore(manifest.platform, want) : 0.5;
    if (score > bestScore) {
      best = manifest;
      bestScore = score;
    }
  }
  return best;
}
