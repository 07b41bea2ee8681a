import { describe, expect, it } from 'vitest';
import type { LogsRequest } from '../../agent-contract/protocol.js';
import { ControlPlaneError } from './control-client.js';
import { remoteLogSink } from './remote-log-sink.js';

const target = { region: 'us-east-1', group: 'g', stream: 's', createGroup: false };
const retry = { attempts: 4, firstDelayMs: 1, maxDelayMs: 2 };

describe('remoteLogSink', () => {
  it('retries a batch the control plane could not take, then delivers it', async () => {
    const sent: LogsRequest[] = [];
    let failures = 2;
    const sink = remoteLogSink({ logs: async (body) => {
      if (failures-- > 0) throw new TypeError('fetch failed');
      sent.push(body);
    } }, () => 'arn:i', retry);
    await sink(target, [{ timestamp: 1, message: 'm' }]);
    expect(sent).toEqual([{ containerInstanceArn: 'arn:i', target, events: [{ timestamp: 1, message: 'm' }] }]);
  });

  it('gives up after its attempts, and at once on a refusal of the batch', async () => {
    let calls = 0;
    const failing = remoteLogSink({ logs: async () => { calls++; throw new ControlPlaneError(503, 'InternalFailure', 'down'); } }, () => 'arn:i', retry);
    await expect(failing(target, [])).rejects.toThrow('down');
    expect(calls).toBe(4);
    calls = 0;
    const refusing = remoteLogSink({ logs: async () => { calls++; throw new ControlPlaneError(400, 'BadRequest', 'bad'); } }, () => 'arn:i', retry);
    await expect(refusing(target, [])).rejects.toThrow('bad');
    expect(calls).toBe(1);
  });
});
