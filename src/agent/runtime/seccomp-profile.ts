/**
 * The default seccomp profile of a container, modelled on Docker's default profile but in the
 * other form: everything is allowed and a denylist answers EPERM. Docker's profile is an
 * allowlist; the syscalls it leaves out, or allows only with a capability, are the ones denied
 * here (without that capability). The trade-off, chosen for simplicity: a syscall newer than
 * this list is allowed, where Docker would refuse it.
 *
 * One deliberate difference: Docker allows ptrace on kernels from 4.8 on; here ptrace, like the
 * rest of Docker's CAP_SYS_PTRACE group, needs CAP_SYS_PTRACE.
 */
import { arch } from 'node:process';

/** One OCI seccomp argument comparison. */
export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

/** One OCI seccomp rule. */
export interface SeccompRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: SeccompArg[];
}

/** The OCI `linux.seccomp` object. */
export interface SeccompProfile {
  defaultAction: string;
  architectures: string[];
  syscalls: SeccompRule[];
}

const EPERM = 1;
const ENOSYS = 38;

/** Denied whatever the capabilities: no container has any use for them. */
const ALWAYS_DENIED = [
  'acct', 'add_key', 'create_module', 'get_kernel_syms', 'kexec_file_load', 'kexec_load', 'keyctl', 'nfsservctl',
  'query_module', 'request_key', 'swapoff', 'swapon', '_sysctl', 'uselib', 'userfaultfd', 'vm86', 'vm86old',
];

/** Denied unless the container has one of the capabilities (Docker's `includes.caps` groups). */
const CAPABILITY_GATED: ReadonlyArray<{ caps: readonly string[]; names: readonly string[] }> = [
  {
    caps: ['CAP_SYS_ADMIN'],
    names: [
      'fanotify_init', 'fsconfig', 'fsmount', 'fsopen', 'fspick', 'lookup_dcookie', 'mount', 'mount_setattr', 'move_mount',
      'open_tree', 'quotactl', 'quotactl_fd', 'setdomainname', 'sethostname', 'setns', 'umount', 'umount2', 'unshare',
    ],
  },
  { caps: ['CAP_SYS_ADMIN', 'CAP_BPF'], names: ['bpf'] },
  { caps: ['CAP_SYS_ADMIN', 'CAP_PERFMON'], names: ['perf_event_open'] },
  { caps: ['CAP_SYS_BOOT'], names: ['reboot'] },
  { caps: ['CAP_SYS_MODULE'], names: ['delete_module', 'finit_module', 'init_module'] },
  { caps: ['CAP_SYS_PTRACE'], names: ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev', 'ptrace'] },
  { caps: ['CAP_SYS_RAWIO'], names: ['ioperm', 'iopl'] },
  { caps: ['CAP_SYS_TIME'], names: ['clock_settime', 'clock_settime64', 'settimeofday', 'stime'] },
  { caps: ['CAP_SYS_TTY_CONFIG'], names: ['vhangup'] },
  { caps: ['CAP_SYS_NICE'], names: ['get_mempolicy', 'mbind', 'set_mempolicy', 'set_mempolicy_home_node'] },
  { caps: ['CAP_SYSLOG'], names: ['syslog'] },
  { caps: ['CAP_DAC_READ_SEARCH'], names: ['open_by_handle_at'] },
];

/** clone flags that create namespaces: NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET. */
const NAMESPACE_FLAGS = [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000];

/**
 * personality values Docker allows: PER_LINUX, UNAME26, PER_LINUX32, UNAME26|PER_LINUX32 and the
 * query 0xffffffff. Anything else (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE, …) is denied.
 */
const PERSONALITY_ALLOWED = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

/** Docker's architecture lists: the host's native one plus what it can run in compat mode. */
export function seccompArchitectures(nodeArch: string = arch): string[] {
  switch (nodeArch) {
    case 'x64':
      return ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'];
    case 'arm64':
      return ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'];
    case 'ppc64':
      return ['SCMP_ARCH_PPC64LE'];
    case 's390x':
      return ['SCMP_ARCH_S390X', 'SCMP_ARCH_S390'];
    case 'riscv64':
      return ['SCMP_ARCH_RISCV64'];
    default:
      return [];
  }
}

const deny = (names: readonly string[], errnoRet = EPERM, args?: SeccompArg[]): SeccompRule => ({
  names: [...names],
  action: 'SCMP_ACT_ERRNO',
  errnoRet,
  ...(args && { args }),
});

/**
 * The profile for a container with these capabilities (CAP_ names). With CAP_SYS_ADMIN the
 * namespace and mount syscalls are allowed, as in Docker.
 */
export function defaultSeccompProfile(capabilities: readonly string[], nodeArch: string = arch): SeccompProfile {
  const has = (caps: readonly string[]) => caps.some((c) => capabilities.includes(c));
  const syscalls: SeccompRule[] = [deny(ALWAYS_DENIED)];
  for (const group of CAPABILITY_GATED) if (!has(group.caps)) syscalls.push(deny(group.names));
  if (!has(['CAP_SYS_ADMIN'])) {
    // clone with any namespace flag is refused; the flags are the first argument everywhere but
    // on s390x, where clone takes the stack first.
    const index = nodeArch === 's390x' ? 1 : 0;
    for (const flag of NAMESPACE_FLAGS) {
      syscalls.push(deny(['clone'], EPERM, [{ index, value: flag, valueTwo: flag, op: 'SCMP_CMP_MASKED_EQ' }]));
    }
    // clone3 passes its flags in memory, which seccomp cannot read: ENOSYS makes libc fall back to clone.
    syscalls.push(deny(['clone3'], ENOSYS));
  }
  // One rule with several "not equal" comparisons on the same argument: denied only when the
  // value is none of the allowed ones (libseccomp ANDs the comparisons of a rule).
  syscalls.push(deny(['personality'], EPERM, PERSONALITY_ALLOWED.map((value) => ({ index: 0, value, op: 'SCMP_CMP_NE' }))));
  return { defaultAction: 'SCMP_ACT_ALLOW', architectures: seccompArchitectures(nodeArch), syscalls };
}
