/**
 * Rules on the Linux settings of a container definition: linuxParameters (capabilities, tmpfs,
 * sharedMemorySize, devices), systemControls, dnsServers and dnsSearchDomains, and what Fargate
 * and the network mode allow of them. All ClientException. ECS's own texts were not found for
 * these; they follow its "Invalid '<field>' setting for container" and "<member> is not supported
 * on container when networkMode=<mode>." forms, and the Fargate ones its "Fargate compatible task
 * definitions do not support …" form.
 */
import { invalidRequest } from '../../lib/errors.js';
import { type Container, type RuleContext, nameOf } from './context.js';

/** KernelCapabilities' valid values (API reference), without the CAP_ prefix. */
const CAPABILITIES: ReadonlySet<string> = new Set([
  'ALL', 'AUDIT_CONTROL', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID',
  'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_ADMIN', 'SYS_BOOT',
  'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME',
  'SYS_TTY_CONFIG', 'SYSLOG', 'WAKE_ALARM',
]);

/** The only capability a Fargate task may add (KernelCapabilities API reference). */
const FARGATE_ADDABLE = 'SYS_PTRACE';

/** Tmpfs mountOptions' valid values (API reference); the last six take `=value`. */
const TMPFS_FLAGS: ReadonlySet<string> = new Set([
  'defaults', 'ro', 'rw', 'suid', 'nosuid', 'dev', 'nodev', 'exec', 'noexec', 'sync', 'async', 'dirsync', 'remount', 'mand',
  'nomand', 'atime', 'noatime', 'diratime', 'nodiratime', 'bind', 'rbind', 'unbindable', 'runbindable', 'private',
  'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'relatime', 'norelatime', 'strictatime', 'nostrictatime',
]);
const TMPFS_VALUED: ReadonlySet<string> = new Set(['mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

/** The IPC-namespace parameters ECS accepts by name; fs.mqueue.* and net.* go by prefix (SystemControl API reference). */
const IPC_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

const invalid = (c: Container, field: string) => invalidRequest(`Invalid '${field}' setting for container '${nameOf(c)}'.`);

/** Capability names are ECS's; on Fargate only SYS_PTRACE may be added. */
function checkCapabilities(ctx: RuleContext, c: Container): void {
  const caps = c.linuxParameters?.capabilities;
  for (const [field, list] of [['add', caps?.add], ['drop', caps?.drop]] as const) {
    for (const name of list ?? []) {
      if (!CAPABILITIES.has(name)) throw invalid(c, `linuxParameters.capabilities.${field}`);
    }
  }
  const added = (caps?.add ?? []).find((name) => name !== FARGATE_ADDABLE);
  if (ctx.fargate && added !== undefined) {
    throw invalidRequest(`Fargate compatible task definitions do not support capability '${added}' in linuxParameters.capabilities.add`);
  }
}

/** Tmpfs mounts: absolute paths, a positive size in MiB, known mount options. */
function checkTmpfs(c: Container): void {
  for (const t of c.linuxParameters?.tmpfs ?? []) {
    if (!(t.containerPath ?? '').startsWith('/')) throw invalid(c, 'linuxParameters.tmpfs.containerPath');
    if (t.size === undefined || t.size <= 0) throw invalid(c, 'linuxParameters.tmpfs.size');
    for (const o of t.mountOptions ?? []) {
      const eq = o.indexOf('=');
      const ok = eq < 0 ? TMPFS_FLAGS.has(o) : TMPFS_VALUED.has(o.slice(0, eq)) && eq < o.length - 1;
      if (!ok) throw invalid(c, 'linuxParameters.tmpfs.mountOptions');
    }
  }
}

/** sharedMemorySize is a positive number of MiB; devices name an absolute host path. */
function checkSharedMemoryAndDevices(c: Container): void {
  const size = c.linuxParameters?.sharedMemorySize;
  if (size !== undefined && size <= 0) throw invalid(c, 'linuxParameters.sharedMemorySize');
  for (const d of c.linuxParameters?.devices ?? []) {
    if (!(d.hostPath ?? '').startsWith('/')) throw invalid(c, 'linuxParameters.devices.hostPath');
    if (d.containerPath !== undefined && !d.containerPath.startsWith('/')) throw invalid(c, 'linuxParameters.devices.containerPath');
  }
}

/**
 * systemControls name namespaced parameters only, once each; net.* is not supported with the
 * host network mode and the IPC ones not with the host IPC mode (SystemControl API reference).
 */
function checkSystemControls(ctx: RuleContext, c: Container): void {
  const seen = new Set<string>();
  for (const s of c.systemControls ?? []) {
    const ns = s.namespace ?? '';
    const ipc = IPC_SYSCTLS.has(ns) || ns.startsWith('fs.mqueue.');
    const net = ns.startsWith('net.');
    if ((!ipc && !net) || s.value === undefined || seen.has(ns)) throw invalid(c, 'systemControls');
    seen.add(ns);
    if (net && ctx.networkMode === 'host') {
      throw invalidRequest(`systemControls namespace '${ns}' is not supported on container when networkMode=host.`);
    }
    if (ipc && ctx.input.ipcMode === 'host') {
      throw invalidRequest(`systemControls namespace '${ns}' is not supported on container when ipcMode=host.`);
    }
  }
}

/** dnsServers and dnsSearchDomains are not supported with awsvpc (ContainerDefinition API reference). */
function checkDns(ctx: RuleContext, c: Container): void {
  if (ctx.networkMode !== 'awsvpc') return;
  if ((c.dnsServers ?? []).length > 0) throw invalidRequest('dnsServers is not supported on container when networkMode=awsvpc.');
  if ((c.dnsSearchDomains ?? []).length > 0) {
    throw invalidRequest('dnsSearchDomains is not supported on container when networkMode=awsvpc.');
  }
}

/** Every Linux-settings rule, container by container. */
export function checkLinuxRules(ctx: RuleContext): void {
  for (const c of ctx.containers) {
    checkCapabilities(ctx, c);
    checkTmpfs(c);
    checkSharedMemoryAndDevices(c);
    checkSystemControls(ctx, c);
    checkDns(ctx, c);
  }
}
