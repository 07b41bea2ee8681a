import { posix } from 'node:path';
import { invalidParameter } from '../../lib/errors.js';
import type { InitProcess } from './init-process.js';
import type { OciDevice, OciDeviceRule, ResolvedDevices } from './host-devices.js';
import { linuxConfigParts } from './linux-config.js';
import {
  DEFAULT_PATH,
  MASKED_PATHS,
  READONLY_PATHS,
  baseMounts,
  bindMount,
  type OciMount,
} from './oci-defaults.js';
import type { ContainerSpec } from './runtime.js';
import type { SeccompProfile } from './seccomp-profile.js';
import type { ResolvedUser } from './user.js';

/** The subset of the OCI runtime spec's config.json that we write. */
export interface OciConfig {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: { bounding: string[]; effective: string[]; permitted: string[] };
    rlimits: Array<{ type: string; soft: number; hard: number }>;
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: OciMount[];
  annotations: Record<string, string>;
  linux: {
    cgroupsPath: string;
    namespaces: Array<{ type: string; path?: string }>;
    resources: {
      devices: OciDeviceRule[];
      cpu: { shares: number };
      memory?: { limit?: number; reservation?: number };
    };
    devices?: OciDevice[];
    sysctl?: Record<string, string>;
    seccomp?: SeccompProfile;
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

/** What the bundle needs beyond the spec: resolved identity and host files prepared for it. */
export interface BundleInputs {
  spec: ContainerSpec;
  user: ResolvedUser;
  hostname: string;
  cgroupsPath: string;
  /** Host files bind-mounted over the image's /etc/hosts, /etc/hostname and /etc/resolv.conf. */
  etcFiles: { hosts: string; hostname: string; resolvConf: string };
  /** Present when initProcessEnabled. */
  init?: InitProcess;
  /** The default open-files limit; the caller caps it at its own hard limit, which it cannot raise without CAP_SYS_RESOURCE. */
  defaultNofile?: number;
  /** The host devices named by the spec's `linux.devices`, resolved. */
  devices?: ResolvedDevices;
  /** Every host device; used only for a privileged container. */
  hostDevices?: OciDevice[];
  /** The capabilities the host can grant (for privileged and `ALL`); default all of Linux's. */
  hostCapabilities?: string[];
  /** The Node.js name of the host architecture, for the seccomp profile; default this process's. */
  arch?: string;
}

/** The ECS ulimit names; each is RLIMIT_<NAME> in the kernel. */
const ULIMIT_NAMES = new Set([
  'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
]);

/** Fargate's default open-files limit; ECS documents 65535 soft and hard. */
export const DEFAULT_NOFILE = 65535;

const MIB = 1024 * 1024;

function rlimits(ulimits: ContainerSpec['ulimits'] = [], nofile = DEFAULT_NOFILE): OciConfig['process']['rlimits'] {
  const byType = new Map<string, { type: string; soft: number; hard: number }>();
  byType.set('RLIMIT_NOFILE', { type: 'RLIMIT_NOFILE', soft: nofile, hard: nofile });
  for (const u of ulimits) {
    if (!ULIMIT_NAMES.has(u.name)) throw invalidParameter(`Invalid ulimit name: ${u.name}`);
    if (!Number.isInteger(u.softLimit) || !Number.isInteger(u.hardLimit) || u.softLimit < 0 || u.hardLimit < 0) {
      throw invalidParameter(`Invalid ulimit values for ${u.name}`);
    }
    if (u.softLimit > u.hardLimit) throw invalidParameter(`ulimit soft limit must be less than or equal to hard limit: ${u.name}`);
    const type = `RLIMIT_${u.name.toUpperCase()}`;
    byType.set(type, { type, soft: u.softLimit, hard: u.hardLimit });
  }
  return [...byType.values()];
}

function withDefaults(env: readonly string[], defaults: Record<string, string>): string[] {
  const out = [...env];
  for (const [key, value] of Object.entries(defaults)) {
    if (!env.some((e) => e.startsWith(`${key}=`))) out.push(`${key}=${value}`);
  }
  return out;
}

function absolute(path: string, what: string): string {
  if (!posix.isAbsolute(path)) throw invalidParameter(`${what} must be an absolute path: ${path}`);
  return posix.normalize(path);
}

function memory(spec: ContainerSpec): OciConfig['linux']['resources']['memory'] {
  const { memoryLimitMiB: limit, memoryReservationMiB: reservation } = spec;
  if (limit === undefined && reservation === undefined) return undefined;
  for (const v of [limit, reservation]) {
    if (v !== undefined && (!Number.isInteger(v) || v < 6)) throw invalidParameter('The memory of a container must be at least 6 MiB');
  }
  if (limit !== undefined && reservation !== undefined && reservation > limit) {
    throw invalidParameter('The memory reservation of a container must be less than or equal to its memory limit');
  }
  return {
    ...(limit !== undefined ? { limit: limit * MIB } : {}),
    ...(reservation !== undefined ? { reservation: reservation * MIB } : {}),
  };
}

/**
 * The container's config.json (OCI runtime spec 1.0): Docker's defaults for capabilities, masked
 * paths and kernel mounts; the spec's process, limits and mounts; its Linux options (linux-config.ts:
 * capabilities, tmpfs, /dev/shm, devices, sysctls, seccomp, privileged); the network namespace to
 * join when given (runc brings up loopback in a new one); and Docker's environment defaults (PATH,
 * HOSTNAME, HOME) for what the image leaves unset.
 */
export function buildOciConfig(input: BundleInputs): OciConfig {
  const { spec, user, hostname, etcFiles, init } = input;
  if (spec.args.length === 0) throw invalidParameter('A container needs a command to run');
  const mounts = baseMounts();
  mounts.push(
    bindMount(etcFiles.resolvConf, '/etc/resolv.conf', false),
    bindMount(etcFiles.hostname, '/etc/hostname', false),
    bindMount(etcFiles.hosts, '/etc/hosts', false),
  );
  for (const m of spec.mounts ?? []) {
    mounts.push(bindMount(absolute(m.source, 'A mount source'), absolute(m.destination, 'A mount destination'), m.readOnly === true));
  }
  if (init) mounts.push(bindMount(init.hostPath, init.destination, true));
  const linux = linuxConfigParts(spec.linux ?? {}, mounts, input.devices, {
    ...(input.hostDevices && { devices: input.hostDevices }),
    ...(input.hostCapabilities && { capabilities: input.hostCapabilities }),
    ...(input.arch !== undefined && { arch: input.arch }),
  });
  mounts.push(...linux.extraMounts);
  const caps = linux.capabilities;
  const mem = memory(spec);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length ? { additionalGids: user.additionalGids } : {}) },
      args: init ? init.wrap(spec.args) : [...spec.args],
      env: withDefaults(spec.env, { PATH: DEFAULT_PATH, HOSTNAME: hostname, HOME: user.home }),
      cwd: absolute(spec.cwd || '/', 'The working directory'),
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      rlimits: rlimits(spec.ulimits, input.defaultNofile),
      noNewPrivileges: linux.noNewPrivileges,
    },
    root: { path: 'rootfs', readonly: spec.readonlyRootFilesystem === true },
    hostname,
    mounts,
    annotations: { 'org.opencontainers.image.stopSignal': spec.stopSignal ?? 'SIGTERM' },
    linux: {
      cgroupsPath: input.cgroupsPath,
      namespaces: [
        { type: 'pid' },
        { type: 'ipc' },
        { type: 'uts' },
        { type: 'mount' },
        spec.netnsPath ? { type: 'network', path: absolute(spec.netnsPath, 'The network namespace') } : { type: 'network' },
      ],
      resources: {
        devices: linux.deviceRules,
        // ECS: cpu units are cpu shares; the kernel's minimum is 2, which the agent also uses for "no cpu".
        cpu: { shares: Math.max(2, Math.floor(spec.cpuShares ?? 2)) },
        ...(mem ? { memory: mem } : {}),
      },
      ...(linux.devices.length > 0 && { devices: linux.devices }),
      ...(Object.keys(linux.sysctl).length > 0 && { sysctl: linux.sysctl }),
      ...(linux.seccomp && { seccomp: linux.seccomp }),
      maskedPaths: linux.maskedPaths ?? [...MASKED_PATHS],
      readonlyPaths: linux.readonlyPaths ?? [...READONLY_PATHS],
    },
  };
}
