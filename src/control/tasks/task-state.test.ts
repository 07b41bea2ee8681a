import { describe, expect, it } from 'vitest';
import { recordedState } from './task-state.js';
import type { TaskRecord } from './task.js';

const base = {
  taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/c/1',
  containers: [],
  lastStatus: 'DEACTIVATING',
} as unknown as TaskRecord;

describe('recordedState', () => {
  it('tells the agent a task draining its targets is still running, with no stop: the stop comes after the drain', () => {
    const draining = { ...base, desiredStatus: 'RUNNING' } as TaskRecord;
    expect(recordedState(draining)).toEqual({ known: { lastStatus: 'RUNNING', containers: {} } });
  });

  it('carries a stop that was asked for on', () => {
    const stopping = { ...base, desiredStatus: 'STOPPED', stopCode: 'ServiceLoopInitiated', stoppedReason: 'r' } as TaskRecord;
    expect(recordedState(stopping)).toEqual({
      known: { lastStatus: 'DEACTIVATING', stopCode: 'ServiceLoopInitiated', stoppedReason: 'r', containers: {} },
      stop: { stopCode: 'ServiceLoopInitiated', stoppedReason: 'r' },
    });
  });
});
