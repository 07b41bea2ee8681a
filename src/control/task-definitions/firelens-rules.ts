import { invalidRequest } from '../../lib/errors.js';
import type { RuleContext } from './context.js';

/** FireLens needs both halves: a log router container and at least one container that logs to it (ECS's texts). */
export function checkFirelensPairing(ctx: RuleContext): void {
  const router = ctx.containers.filter((c) => c.firelensConfiguration);
  const users = ctx.containers.some((c) => c.logConfiguration?.logDriver === 'awsfirelens');
  if (users && router.length === 0) {
    throw invalidRequest(
      'When awsfirelens log driver is specified in log configuration, a firelens configuration object must be configured in one of the containers.',
    );
  }
  if (router.length > 0 && !users) {
    throw invalidRequest('When a firelensConfiguration object is specified, at least one container has to be configured with the awsfirelens log driver.');
  }
  if (router.length > 1) throw invalidRequest('Only one container can have a firelensConfiguration object.');
}
