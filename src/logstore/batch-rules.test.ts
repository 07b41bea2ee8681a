import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBatch, checkSpan, classify, messageBytes, splitMessage } from './batch-rules.js';
import { DAY, HOUR, NOW, thrown } from './service.fixtures.js';

const events = (...timestamps: number[]) => timestamps.map((timestamp, i) => ({ timestamp, message: `m${i}` }));

describe('checkBatch', () => {
  it('counts 26 bytes per event on top of the UTF-8 message bytes', async () => {
    const atLimit = [{ timestamp: 1, message: 'x'.repeat(1_048_576 - 26) }];
    expect(() => checkBatch(atLimit, messageBytes(atLimit))).not.toThrow();
    const over = [{ timestamp: 1, message: 'x'.repeat(1_048_576 - 25) }];
    expect((await thrown(() => checkBatch(over, messageBytes(over)))).message).toBe(
      'Log event too large: 1048577 bytes exceeds limit of 1048576',
    );
  });

  it('refuses batches over 1,048,576 bytes', async () => {
    const batch = [
      { timestamp: 1, message: 'é'.repeat(131_072) }, // 262,144 UTF-8 bytes
      { timestamp: 2, message: 'x'.repeat(786_400) },
    ];
    expect(messageBytes(batch)).toEqual([262_144, 786_400]);
    expect((await thrown(() => checkBatch(batch, messageBytes(batch)))).message).toBe(
      'Upload too large: 1048596 bytes exceeds limit of 1048576',
    );
  });

  it('refuses events out of chronological order, and accepts equal timestamps', async () => {
    expect(() => checkBatch(events(1, 1, 2), [2, 2, 2])).not.toThrow();
    const err = await thrown(() => checkBatch(events(1, 3, 2), [2, 2, 2]));
    expect(err).toMatchObject({ kind: 'InvalidArgument', message: 'Log events in a single PutLogEvents request must be in chronological order.' });
  });
});

describe('classify', () => {
  it('accepts everything within 14 days back and 2 hours ahead', async () => {
    expect(classify(events(NOW - 14 * DAY, NOW, NOW + 2 * HOUR), NOW)).toEqual({ start: 0, end: 3 });
  });

  it('rejects a prefix of too old and a suffix of too new events', async () => {
    const batch = events(NOW - 15 * DAY, NOW - 14 * DAY - 1, NOW - DAY, NOW, NOW + 2 * HOUR + 1, NOW + 3 * HOUR);
    expect(classify(batch, NOW)).toEqual({
      start: 2,
      end: 4,
      rejected: { tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 4 },
    });
  });

  it('rejects events older than the retention period as expired', async () => {
    const batch = events(NOW - 20 * DAY, NOW - 3 * DAY, NOW - 12 * HOUR, NOW);
    expect(classify(batch, NOW, 1)).toEqual({
      start: 2,
      end: 4,
      rejected: { tooOldLogEventEndIndex: 0, expiredLogEventEndIndex: 1 },
    });
  });

  it('can reject every event', async () => {
    expect(classify(events(NOW + 3 * HOUR), NOW)).toEqual({ start: 0, end: 0, rejected: { tooNewLogEventStartIndex: 0 } });
    expect(classify(events(NOW - 30 * DAY), NOW)).toEqual({ start: 1, end: 1, rejected: { tooOldLogEventEndIndex: 0 } });
  });
});

describe('checkSpan', () => {
  it('allows 24 hours between the first and last accepted event, not more', async () => {
    expect(() => checkSpan(events(0, DAY), 0, 2)).not.toThrow();
    expect((await thrown(() => checkSpan(events(0, DAY + 1), 0, 2))).message).toBe(
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
    expect(() => checkSpan(events(0, DAY + 1, DAY + 2), 1, 3)).not.toThrow();
  });
});

describe('splitMessage', () => {
  it('keeps messages that fit', async () => {
    expect(splitMessage('héllo', 6)).toEqual(['héllo']);
  });

  it('cuts between characters, never inside one', async () => {
    expect(splitMessage('aé€😀', 4)).toEqual(['aé', '€', '😀']);
    expect(splitMessage('ab€', 3)).toEqual(['ab', '€']);
  });

  it('splits into pieces within the limit that join back to the message', async () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 4, max: 12 }), (message, max) => {
        const pieces = splitMessage(message, max);
        expect(pieces.join('')).toBe(message);
        for (const piece of pieces) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(max);
      }),
    );
  });
});
