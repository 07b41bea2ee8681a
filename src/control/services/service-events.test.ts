import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../store/memory-store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import { serviceFixture } from './service.fixtures.js';
import { MAX_EVENTS, type ServiceRecord } from './service.js';
import { appendServiceEvents } from './service-events.js';

describe('appendServiceEvents', () => {
  it('puts the messages newest first before older events, bumps the version and keeps 100 events', async () => {
    const store = new MemoryStore();
    const s = serviceFixture();
    s.events = Array.from({ length: MAX_EVENTS }, (_, i) => ({ id: `e${i}`, createdAt: 0, message: `old ${i}` }));
    const key = `${s.clusterArn}/${s.serviceName}`;
    await store.collection<ServiceRecord>(CLUSTER_MEMBERS.services).put(key, s);
    expect(await appendServiceEvents(store, s.clusterArn, s.serviceName, ['first', 'second'], new Date(5))).toBe(true);
    const after = (await store.collection<ServiceRecord>(CLUSTER_MEMBERS.services).get(key))!;
    expect(after.events.slice(0, 3).map((e) => e.message)).toEqual(['second', 'first', 'old 0']);
    expect(after.events).toHaveLength(MAX_EVENTS);
    expect(after.events[0]!.createdAt).toBe(5);
    expect(after.version).toBe(s.version + 1);
  });

  it('answers false for a service that is not stored', async () => {
    expect(await appendServiceEvents(new MemoryStore(), 'arn:c', 'gone', ['x'], new Date(0))).toBe(false);
  });
});
