import type { TaskUsage } from '../agent-contract/task-usage.js';
import { BadBodyError, num, str } from './body-checks.js';

/** One task's measured use from a usage report, checked member by member. */
export function taskUsage(body: Record<string, unknown>): TaskUsage {
  if (typeof body.insights !== 'boolean') throw new BadBodyError('insights must be a boolean');
  const optional = (name: keyof TaskUsage) => (body[name] === undefined ? {} : { [name]: num(body, name) });
  return {
    taskArn: str(body, 'taskArn'),
    clusterArn: str(body, 'clusterArn'),
    region: str(body, 'region'),
    cpuUnits: num(body, 'cpuUnits'),
    memoryMiB: num(body, 'memoryMiB'),
    cpuReserved: num(body, 'cpuReserved'),
    memoryReserved: num(body, 'memoryReserved'),
    family: str(body, 'family'),
    insights: body.insights,
    ...optional('networkRxBytesPerSecond'),
    ...optional('networkTxBytesPerSecond'),
    ...optional('storageReadBytes'),
    ...optional('storageWriteBytes'),
  };
}
