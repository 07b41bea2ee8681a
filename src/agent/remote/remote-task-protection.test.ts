import { describe, expect, it } from 'vitest';
import type { TaskProtectionRequest } from '../../agent-contract/protocol.js';
import { ControlPlaneError } from './control-client.js';
import { remoteTaskProtection } from './remote-task-protection.js';

describe('remoteTaskProtection', () => {
  it('sends the calls as the joined instance, and turns a failed call into a ServerException', async () => {
    const sent: TaskProtectionRequest[] = [];
    let fail: Error | undefined;
    const port = remoteTaskProtection(
      {
        taskProtection: async (body) => {
          sent.push(body);
          if (fail) throw fail;
          return { protection: { taskArn: body.taskArn, protectionEnabled: body.protectionEnabled === true } };
        },
      },
      () => 'arn:ci',
    );
    expect(await port.update('t', true, 30)).toEqual({ protection: { taskArn: 't', protectionEnabled: true } });
    expect(await port.get('t')).toEqual({ protection: { taskArn: 't', protectionEnabled: false } });
    expect(sent).toEqual([
      { containerInstanceArn: 'arn:ci', taskArn: 't', protectionEnabled: true, expiresInMinutes: 30 },
      { containerInstanceArn: 'arn:ci', taskArn: 't' },
    ]);
    fail = new ControlPlaneError(403, 'Forbidden', 'task t is not placed on container instance arn:ci');
    expect(await port.get('t')).toEqual({ error: { code: 'ServerException', message: 'task t is not placed on container instance arn:ci', status: 500 } });
    fail = new TypeError('fetch failed');
    expect(await port.get('t')).toMatchObject({ error: { code: 'ServerException', status: 500 } });
  });
});
