import type { ProtectionOutcome, TaskProtectionPort } from '../../agent-contract/ports.js';
import type { TaskProtectionRequest } from '../../agent-contract/protocol.js';
import { ControlPlaneError } from './control-client.js';

/** The part of the control client task protection needs. */
export interface ProtectionClient {
  taskProtection(body: TaskProtectionRequest): Promise<ProtectionOutcome>;
}

/**
 * Task protection on an agent of another host: the agent endpoint's calls travel to the control
 * plane over the agent protocol, as the instance's (`joined()` names it). A control plane that
 * cannot be reached, or refuses, is a ServerException for the task, as the ECS agent reports a
 * call to ECS that failed.
 */
export function remoteTaskProtection(client: ProtectionClient, joined: () => string): TaskProtectionPort {
  const call = async (body: Omit<TaskProtectionRequest, 'containerInstanceArn'>): Promise<ProtectionOutcome> => {
    try {
      return await client.taskProtection({ containerInstanceArn: joined(), ...body });
    } catch (err) {
      const message = err instanceof ControlPlaneError ? err.message : `the control plane could not be reached: ${(err as Error).message}`;
      return { error: { code: 'ServerException', message, status: 500 } };
    }
  };
  return {
    get: (taskArn) => call({ taskArn }),
    update: (taskArn, protectionEnabled, expiresInMinutes) => call({ taskArn, protectionEnabled, ...(expiresInMinutes !== undefined && { expiresInMinutes }) }),
  };
}
