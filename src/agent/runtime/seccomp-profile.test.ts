import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPABILITIES } from './oci-defaults.js';
import { defaultSeccompProfile, seccompArchitectures, type SeccompProfile } from './seccomp-profile.js';

/** The errno a syscall gets without argument conditions, or undefined when no plain rule denies it. */
const denied = (p: SeccompProfile, name: string) => p.syscalls.find((r) => r.names.includes(name) && !r.args)?.errnoRet;

describe('defaultSeccompProfile', () => {
  const base = defaultSeccompProfile(DEFAULT_CAPABILITIES, 'x64');

  it('allows by default and lists the host architectures', () => {
    expect(base.defaultAction).toBe('SCMP_ACT_ALLOW');
    expect(base.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(seccompArchitectures('arm64')).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    for (const r of base.syscalls) expect(r.action).toBe('SCMP_ACT_ERRNO');
  });

  it('denies Docker’s dangerous syscalls with EPERM for a container with the default capabilities', () => {
    for (const name of ['mount', 'umount2', 'kexec_load', 'reboot', 'swapon', 'swapoff', 'init_module', 'finit_module', 'delete_module',
      'bpf', 'ptrace', 'keyctl', 'add_key', 'request_key', 'unshare', 'setns', 'open_by_handle_at', 'perf_event_open']) {
      expect(denied(base, name), name).toBe(1);
    }
    for (const name of ['read', 'write', 'execve', 'chroot', 'clone', 'socket']) expect(denied(base, name), name).toBeUndefined();
    // clone3 answers ENOSYS so that libc falls back to clone, whose flags seccomp can check.
    expect(denied(base, 'clone3')).toBe(38);
  });

  it('denies clone with each namespace flag, and personality with values Docker does not allow', () => {
    const clone = base.syscalls.filter((r) => r.names.includes('clone'));
    const flags = clone.map((r) => r.args![0]!.value);
    expect(flags).toContain(0x10000000); // CLONE_NEWUSER
    expect(flags).toContain(0x40000000); // CLONE_NEWNET
    for (const r of clone) expect(r.args).toEqual([{ index: 0, value: r.args![0]!.value, valueTwo: r.args![0]!.value, op: 'SCMP_CMP_MASKED_EQ' }]);
    const personality = base.syscalls.find((r) => r.names.includes('personality'))!;
    expect(personality.args?.map((a) => a.value)).toEqual([0x0, 0x8, 0x20000, 0x20008, 0xffffffff]);
    expect(personality.args?.every((a) => a.op === 'SCMP_CMP_NE')).toBe(true);
  });

  it('allows what a capability the container has permits', () => {
    const admin = defaultSeccompProfile([...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN', 'CAP_SYS_PTRACE'], 'x64');
    for (const name of ['mount', 'unshare', 'setns', 'bpf', 'ptrace', 'process_vm_readv']) expect(denied(admin, name), name).toBeUndefined();
    expect(admin.syscalls.some((r) => r.names.includes('clone') || r.names.includes('clone3'))).toBe(false);
    // Still denied whatever the capabilities.
    expect(denied(admin, 'kexec_load')).toBe(1);
    expect(denied(admin, 'reboot')).toBe(1);
  });
});
