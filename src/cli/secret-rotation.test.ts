import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../control/tasks/task.js';
import { stepOutcome } from './secret-rotation.js';

const task = (containers: Array<{ name: string; exitCode?: number }>): TaskRecord =>
  ({ taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/abc', stoppedReason: 'Essential container in task exited', containers }) as unknown as TaskRecord;

describe("a rotation step's outcome from its stopped task", () => {
  it('succeeds when every essential container exited 0, whatever the others did', () => {
    expect(stepOutcome(task([{ name: 'rotate', exitCode: 0 }]), new Set())).toEqual({ state: 'succeeded' });
    expect(stepOutcome(task([{ name: 'rotate', exitCode: 0 }, { name: 'sidecar', exitCode: 137 }]), new Set(['sidecar']))).toEqual({ state: 'succeeded' });
  });

  it('fails otherwise, saying which container did what', () => {
    expect(stepOutcome(task([{ name: 'rotate', exitCode: 3 }]), new Set())).toEqual({
      state: 'failed',
      reason: 'The task arn:aws:ecs:us-east-1:000000000000:task/default/abc stopped (Essential container in task exited): rotate exited 3.',
    });
    // A task that never started its container (an image that cannot be pulled) fails the step too.
    expect(stepOutcome(task([{ name: 'rotate' }]), new Set())).toMatchObject({ state: 'failed', reason: expect.stringContaining('rotate did not exit') });
    expect(stepOutcome(task([{ name: 'rotate', exitCode: 0 }, { name: 'check', exitCode: 1 }]), new Set()).state).toBe('failed');
  });
});
