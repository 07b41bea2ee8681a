import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOST_CONTAINERS, planRecovery, RecoveryMode, type FoundContainer } from './task-recovery.js';

const exit = { exitCode: 0, oomKilled: false, exitedAt: new Date(1000) };

describe('planRecovery', () => {
  it('runs an acknowledged launch that had started nothing from the beginning', () => {
    const plan = planRecovery({ names: ['app'], found: {}, saved: false, known: { lastStatus: 'PROVISIONING' } });
    expect(plan.mode).toBe(RecoveryMode.Fresh);
    expect(plan.pending).toEqual(['app']);
  });

  it('removes a created container and starts it again; follows the running one', () => {
    const plan = planRecovery({
      names: ['init', 'app'],
      found: { init: { status: 'running' }, app: { status: 'created' } },
      saved: true,
      known: { lastStatus: 'PENDING', containers: { init: { lastStatus: 'RUNNING' }, app: { lastStatus: 'PENDING' } } },
    });
    expect(plan).toMatchObject({ mode: RecoveryMode.Resume, discard: ['app'], follow: ['init'], pending: ['app'] });
  });

  it('starts from the beginning when the state was saved but no container started', () => {
    const plan = planRecovery({ names: ['app'], found: { app: { status: 'created' } }, saved: true, known: { lastStatus: 'PENDING' } });
    expect(plan).toMatchObject({ mode: RecoveryMode.Fresh, discard: ['app'] });
  });

  it('carries on a stop that was asked for, or that had begun', () => {
    const asked = planRecovery({ names: ['app'], found: { app: { status: 'running' } }, saved: true, known: { lastStatus: 'RUNNING' }, stop: { stopCode: 'UserInitiated', stoppedReason: 'bye' } });
    expect(asked).toMatchObject({ mode: RecoveryMode.Stop, stop: { stopCode: 'UserInitiated', stoppedReason: 'bye' }, follow: ['app'] });
    const begun = planRecovery({ names: ['app'], found: {}, saved: true, known: { lastStatus: 'STOPPING', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' } });
    expect(begun).toMatchObject({ mode: RecoveryMode.Stop, stop: { stopCode: 'EssentialContainerExited' } });
  });

  it('stops a task whose started container is gone, and never starts it again', () => {
    const plan = planRecovery({ names: ['app'], found: {}, saved: true, known: { lastStatus: 'RUNNING', containers: { app: { lastStatus: 'RUNNING' } } } });
    expect(plan).toMatchObject({ mode: RecoveryMode.Stop, stop: { stoppedReason: LOST_CONTAINERS }, pending: [] });
  });

  it('keeps a container that exited before the restart stopped, with its exit code', () => {
    const plan = planRecovery({
      names: ['init', 'app'],
      found: { app: { status: 'running' } },
      saved: true,
      known: { lastStatus: 'RUNNING', containers: { init: { lastStatus: 'STOPPED', exitCode: 0 }, app: { lastStatus: 'RUNNING' } } },
    });
    expect(plan).toMatchObject({ mode: RecoveryMode.Resume, done: [{ name: 'init', exitCode: 0 }], follow: ['app'], pending: [] });
  });

  it('never starts again a container that ran, whatever was found and recorded', () => {
    const found = fc.constantFrom<FoundContainer>(undefined, { status: 'created' }, { status: 'running' }, { status: 'stopped', exit });
    const recorded = fc.constantFrom(undefined, 'PENDING', 'RUNNING', 'STOPPED');
    const status = fc.constantFrom('PROVISIONING', 'PENDING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING');
    fc.assert(
      fc.property(fc.array(fc.tuple(found, recorded), { minLength: 1, maxLength: 4 }), fc.boolean(), status, fc.boolean(), (containers, saved, lastStatus, asked) => {
        const names = containers.map((_, i) => `c${i}`);
        const plan = planRecovery({
          names,
          found: Object.fromEntries(containers.map(([f], i) => [`c${i}`, f])),
          saved,
          known: { lastStatus, containers: Object.fromEntries(containers.map(([, r], i) => [`c${i}`, r ? { lastStatus: r } : {}])) },
          ...(asked && { stop: { stopCode: 'UserInitiated', stoppedReason: 'asked' } }),
        });
        containers.forEach(([f, r], i) => {
          const ran = f?.status === 'running' || f?.status === 'stopped' || r === 'RUNNING' || r === 'STOPPED';
          if (ran) expect(plan.pending).not.toContain(`c${i}`);
          if (f?.status === 'running') expect(plan.follow).toContain(`c${i}`);
          if (f?.status === 'created') expect(plan.discard).toContain(`c${i}`);
        });
        // Each container is in exactly one of follow, exited, done, pending, or is lost (Stop).
        const placed = [...plan.follow, ...plan.exited.map((e) => e.name), ...plan.done.map((d) => d.name), ...plan.pending];
        expect(new Set(placed).size).toBe(placed.length);
        if (asked || ['DEACTIVATING', 'STOPPING', 'DEPROVISIONING'].includes(lastStatus)) expect(plan.mode).toBe(RecoveryMode.Stop);
        if (plan.mode === RecoveryMode.Fresh) expect(plan.follow.length + plan.exited.length).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
