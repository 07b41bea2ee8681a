/**
 * Applies a container's {@link LinuxOptions} to its OCI config the way Docker builds its spec:
 * capabilities, tmpfs mounts and the /dev/shm size, devices, sysctls, no-new-privileges, the
 * default seccomp profile, and for privileged containers every capability and host device, no
 * seccomp, nothing masked and /sys writable.
 */
import { capabilitySet } from './capabilities.js';
import type { OciDevice, OciDeviceRule, ResolvedDevices } from './host-devices.js';
import { tmpfsMount, withShmSize } from './linux-mounts.js';
import { securitySettings, type LinuxOptions } from './linux-options.js';
import type { OciMount } from './oci-defaults.js';
import { defaultSeccompProfile, type SeccompProfile } from './seccomp-profile.js';
import { checkSysctls } from './sysctls.js';

/** The parts of the OCI config these options decide. */
export interface LinuxConfigParts {
  capabilities: string[];
  noNewPrivileges: boolean;
  /** Appended after the spec's own mounts. */
  extraMounts: OciMount[];
  devices: OciDevice[];
  deviceRules: OciDeviceRule[];
  sysctl: Record<string, string>;
  seccomp?: SeccompProfile;
  maskedPaths?: string[];
  readonlyPaths?: string[];
}

/** Device cgroup default: deny all; runc then allows its default set (null, zero, full, tty, random, urandom, pts). */
const DENY_ALL: OciDeviceRule = { allow: false, access: 'rwm' };

/**
 * Works out the config parts; `mounts` (the base mounts) get the /dev/shm size and, when
 * privileged, a writable /sys. `devices` are the resolved custom devices; `host` tells every host
 * device (used only when privileged), the capabilities the host can grant and its architecture.
 */
export function linuxConfigParts(
  options: LinuxOptions,
  mounts: OciMount[],
  devices: ResolvedDevices = { devices: [], rules: [] },
  host: { devices?: readonly OciDevice[]; capabilities?: readonly string[]; arch?: string } = {},
): LinuxConfigParts {
  const privileged = options.privileged === true;
  const capabilities = capabilitySet({
    add: options.capAdd,
    drop: options.capDrop,
    privileged,
    ...(host.capabilities && { available: host.capabilities }),
  });
  const security = securitySettings(options.securityOptions);
  withShmSize(mounts, options.sharedMemorySizeMiB);
  const parts: LinuxConfigParts = {
    capabilities,
    noNewPrivileges: security.noNewPrivileges,
    extraMounts: (options.tmpfs ?? []).map(tmpfsMount),
    devices: [...devices.devices],
    deviceRules: [DENY_ALL, ...devices.rules],
    sysctl: checkSysctls(options.sysctls),
  };
  if (privileged) {
    for (const m of mounts) {
      if (m.type === 'sysfs' || m.type === 'cgroup') m.options = (m.options ?? []).filter((o) => o !== 'ro').concat('rw');
    }
    const seen = new Set(parts.devices.map((d) => d.path));
    parts.devices.push(...(host.devices ?? []).filter((d) => !seen.has(d.path)));
    parts.deviceRules = [{ allow: true, access: 'rwm' }];
    parts.maskedPaths = [];
    parts.readonlyPaths = [];
  } else if (security.seccomp) {
    parts.seccomp = defaultSeccompProfile(capabilities, host.arch);
  }
  return parts;
}
