import { describe, expect, it } from 'vitest';
import { eventsAsText, mergeTail, startTail } from './log-tail.js';

const ev = (eventId: string, timestamp: number, message = eventId) => ({ eventId, timestamp, message, logStreamName: 's' });

describe('live tail', () => {
  it('shows each event once though every poll asks again from the newest millisecond', () => {
    let s = startTail(1000);
    s = mergeTail(s, [ev('a', 1001), ev('b', 1002)]);
    s = mergeTail(s, [ev('b', 1002), ev('c', 1002), ev('d', 1003)]);
    s = mergeTail(s, [ev('d', 1003)]);
    s = mergeTail(s, [ev('d', 1003), ev('e', 1003)]);
    expect(s.events.map((e) => e.eventId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(s.since).toBe(1003);
  });

  it('orders a poll by time and keeps at most the cap, newest last', () => {
    let s = startTail(0);
    s = mergeTail(s, [ev('y', 20), ev('x', 10), ev('z', 30)], 2);
    expect(s.events.map((e) => e.eventId)).toEqual(['y', 'z']);
  });

  it('keeps the state when nothing new came', () => {
    const s = mergeTail(startTail(5), [ev('old', 4)]);
    expect(s.events).toEqual([]);
    expect(s.since).toBe(5);
  });

  it('downloads one line per event with the UTC time and stream', () => {
    expect(eventsAsText([ev('a', 0, 'hello\n')])).toBe('1970-01-01T00:00:00.000Z\ts\thello\n');
  });
});
