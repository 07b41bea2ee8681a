import { describe, expect, it } from 'vitest';
import { serviceFixture } from '../control/services/service.fixtures.js';
import type { TaskDefinitionRecord } from '../control/task-definitions/task-definition.js';
import type { TaskRecord } from '../control/tasks/task.js';
import { capacityTypeOf, pendingTasksOf, serviceDemand } from './demand.js';

function service(desired: number) {
  const s = serviceFixture({ desired });
  const strategy = [{ capacityProvider: 'od', base: 1, weight: 1 }, { capacityProvider: 'spot', weight: 1 }];
  s.capacityProviderStrategy = strategy;
  s.deployments[0]!.capacityProviderStrategy = strategy;
  return s;
}
const task = (startedBy: string, provider: string, lastStatus = 'RUNNING') => ({ group: 'service:web', startedBy, capacityProviderName: provider, lastStatus }) as TaskRecord;

describe('serviceDemand', () => {
  it('splits the desired count over the strategy and subtracts live tasks on each managed provider', () => {
    const s = service(5);
    const id = s.deployments[0]!.id;
    // base 1 on od, then 2 + 2: od 3, spot 2.
    const tasks = [task(id, 'od'), task(id, 'od', 'STOPPED'), task('other', 'od'), task(id, 'spot')];
    expect(serviceDemand(s, tasks, () => true).map((d) => [d.providerName, d.count])).toEqual([['od', 2], ['spot', 1]]);
    expect(serviceDemand(s, tasks, (n) => n === 'spot').map((d) => d.providerName)).toEqual(['spot']);
  });

  it('asks nothing of a failed rollout, a draining service or a service without a strategy', () => {
    const failed = service(2);
    failed.deployments[0]!.rolloutState = 'FAILED';
    const draining = service(2);
    draining.status = 'DRAINING';
    expect([...serviceDemand(failed, [], () => true), ...serviceDemand(draining, [], () => true), ...serviceDemand(serviceFixture(), [], () => true)]).toEqual([]);
  });
});

describe('pendingTasksOf and capacityTypeOf', () => {
  it('turns a demand into sized tasks with memberOf, distinct groups for distinctInstance and host ports, and the architecture', () => {
    const td = {
      cpu: '512', memory: '1024', runtimePlatform: { cpuArchitecture: 'ARM64' }, networkMode: 'bridge',
      containerDefinitions: [{ name: 'a', portMappings: [{ containerPort: 80, hostPort: 8080 }] }],
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ m7g.*' }],
    } as unknown as TaskDefinitionRecord;
    const tasks = pendingTasksOf({ clusterArn: 'c', serviceName: 'web', providerName: 'p', taskDefinition: 'td', count: 2, constraints: [] }, td, 'spot');
    expect(tasks).toEqual([1, 2].map((n) => ({
      id: `web#${n}`, demand: { cpu: 512, memoryMiB: 1024, gpus: 0 }, capacityTypes: ['spot'], arch: 'arm64',
      memberOf: ['attribute:ecs.instance-type =~ m7g.*'], distinctGroup: 'service:web',
    })));
  });

  it('is on demand unless the tag or the name says spot; the tag wins', () => {
    expect(capacityTypeOf('cp-local', [])).toBe('on-demand');
    expect(capacityTypeOf('cp-Spot', [])).toBe('spot');
    expect(capacityTypeOf('cp-spot', [{ key: 'minato:capacity-type', value: 'on-demand' }])).toBe('on-demand');
    expect(capacityTypeOf('cp', [{ key: 'minato:capacity-type', value: 'spot' }])).toBe('spot');
  });
});
