/**
 * The Linux settings of a container beyond its process and limits: the container definition's
 * linuxParameters (capabilities, tmpfs, sharedMemorySize, devices), privileged, systemControls,
 * dnsServers and dnsSearchDomains, and dockerSecurityOptions, as the runtime applies them.
 */

/** One tmpfs mount: ECS gives its size in MiB. */
export interface TmpfsMount {
  containerPath: string;
  sizeMiB: number;
  /** Mount options as Docker takes them (`noexec`, `mode=1770`, …). */
  mountOptions?: string[];
}

/** A host device exposed in the container. */
export interface DeviceRequest {
  hostPath: string;
  /** Default: the host path. */
  containerPath?: string;
  /** ECS permissions `read`, `write`, `mknod`; default all three. */
  permissions?: string[];
}

/** What the container definition asks of the runtime beyond the process. */
export interface LinuxOptions {
  /** Capability names to add and drop (`SYS_PTRACE`, `CAP_NET_ADMIN`, `ALL`). */
  capAdd?: string[];
  capDrop?: string[];
  /** Every capability, every host device, no seccomp, nothing masked (Docker's --privileged). */
  privileged?: boolean;
  tmpfs?: TmpfsMount[];
  /** Size of /dev/shm; Docker's default is 64 MiB. */
  sharedMemorySizeMiB?: number;
  devices?: DeviceRequest[];
  /** Namespaced kernel parameters, `net.core.somaxconn` → `1024`. */
  sysctls?: Record<string, string>;
  /** Nameservers and search domains of /etc/resolv.conf, replacing the host's. */
  dnsServers?: string[];
  dnsSearchDomains?: string[];
  /** Docker's `--security-opt` values (`no-new-privileges`, `seccomp=unconfined`, `apparmor:…`, `label:…`). */
  securityOptions?: string[];
}

/** What the security options turn into. */
export interface SecuritySettings {
  noNewPrivileges: boolean;
  /** False when `seccomp=unconfined` (or `seccomp:unconfined`) is asked for. */
  seccomp: boolean;
}

/**
 * Reads Docker security options. `no-new-privileges` (optionally `:true`/`=true`) and
 * `seccomp=unconfined` apply; AppArmor and SELinux labels and credential specs name features
 * this host does not have, and are accepted without effect.
 */
export function securitySettings(options: readonly string[] = []): SecuritySettings {
  let noNewPrivileges = false;
  let seccomp = true;
  for (const raw of options) {
    const [key = '', value] = raw.split(/[=:]/, 2);
    if (key === 'no-new-privileges') noNewPrivileges = value === undefined || value === 'true';
    if (key === 'seccomp' && value === 'unconfined') seccomp = false;
  }
  return { noNewPrivileges, seccomp };
}
