/** What a process (minato) and the host spend while the task benchmark runs a phase or sits idle. */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds, hostBusySeconds, rssKiB, systemCpuSeconds } from './host-state.js';
import { round } from './stats.js';

/** RSS (MiB) at the end of a quiet window, and the share of one CPU the process used during it. */
export async function idleWindow(pid: number, windowMs: number): Promise<{ rssMiB: number; cpuPercent: number }> {
  const c0 = await cpuSeconds(pid);
  await sleep(windowMs);
  const c1 = await cpuSeconds(pid);
  const rss = await rssKiB(pid);
  if (c0 === undefined || c1 === undefined || rss === undefined) throw new Error(`process ${pid} is gone`);
  return { rssMiB: round(rss / 1024), cpuPercent: round(((c1 - c0) / (windowMs / 1000)) * 100) };
}

/** CPU used while a phase ran: by minato, and by the whole host (every process and the kernel). */
export interface CpuUse {
  minatoSeconds: number;
  /** The part of minatoSeconds spent in the kernel on minato's behalf (system time). */
  minatoSystemSeconds: number;
  /** minato with the helpers it ran and waited for: CNI plugins, ip, mount, runc start/kill/delete. */
  minatoWithHelpersSeconds: number;
  hostBusySeconds: number;
  minatoMsPerTask: number;
  minatoWithHelpersMsPerTask: number;
  hostMsPerTask: number;
  loadavg1AtStart: number;
}

/** Runs a phase and adds the CPU the process and the host used meanwhile, per task of `tasks`. */
export async function withCpu<T>(pid: number, tasks: (r: T) => number, body: () => Promise<T>): Promise<T & { cpu: CpuUse }> {
  const snapshot = async () => ({
    own: (await cpuSeconds(pid)) ?? 0,
    system: (await systemCpuSeconds(pid)) ?? 0,
    helpers: (await cpuSeconds(pid, true)) ?? 0,
    host: await hostBusySeconds(),
  });
  const s0 = await snapshot();
  const loadavg = os.loadavg()[0]!;
  const r = await body();
  const s1 = await snapshot();
  const n = Math.max(1, tasks(r));
  const [own, helpers, host] = [s1.own - s0.own, s1.helpers - s0.helpers, s1.host - s0.host];
  return {
    ...r,
    cpu: {
      minatoSeconds: round(own, 2),
      minatoSystemSeconds: round(s1.system - s0.system, 2),
      minatoWithHelpersSeconds: round(helpers, 2),
      hostBusySeconds: round(host, 2),
      minatoMsPerTask: round((own * 1000) / n),
      minatoWithHelpersMsPerTask: round((helpers * 1000) / n),
      hostMsPerTask: round((host * 1000) / n),
      loadavg1AtStart: round(loadavg, 2),
    },
  };
}
