import { describe, expect, it } from 'vitest';
import { isStoppingStatus } from '../../agent-contract/task-contract.js';
import { foldChange } from './task-state.js';

describe('foldChange', () => {
  it('keeps the furthest status, the latest values and merges containers by name', () => {
    let s = foldChange({}, { lastStatus: 'PENDING', pullStartedAt: 1, containers: { app: { lastStatus: 'PENDING' } } });
    s = foldChange(s, { lastStatus: 'RUNNING', startedAt: 5, containers: { app: { lastStatus: 'RUNNING', runtimeId: 'r' }, side: { lastStatus: 'RUNNING' } } });
    s = foldChange(s, { lastStatus: 'PENDING', healthStatus: 'HEALTHY' });
    expect(s).toEqual({
      lastStatus: 'RUNNING',
      pullStartedAt: 1,
      startedAt: 5,
      healthStatus: 'HEALTHY',
      containers: { app: { lastStatus: 'RUNNING', runtimeId: 'r' }, side: { lastStatus: 'RUNNING' } },
    });
  });

  it('knows the stopping statuses', () => {
    expect(['RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'].map(isStoppingStatus)).toEqual([false, true, true, true, false]);
  });
});
