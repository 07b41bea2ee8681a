import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TaskRecord, TaskTraffic } from '../tasks/task.js';
import { CONTROL_HOST_TARGET_ID, targetHealthOf, trafficOf } from './target-plan.js';
import type { TargetHealth, TargetState } from './traffic-ports.js';

const task = (o: Partial<TaskRecord>): TaskRecord =>
  ({
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/c/abc',
    taskId: 'abc',
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/c',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:3',
    region: 'us-east-1',
    availabilityZone: 'us-east-1b',
    attachments: [],
    containers: [{ name: 'app' }],
    ...o,
  }) as TaskRecord;
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1';
const eni = [{ id: 'a', type: 'ElasticNetworkInterface', details: [{ name: 'privateIPv4Address', value: '10.1.0.7' }] }];

describe('trafficOf', () => {
  it('makes an ip target of an awsvpc task, and waits while its address is unknown', () => {
    const lbs = [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }];
    expect(trafficOf(task({ attachments: [{ id: 'a', type: 'ElasticNetworkInterface', details: [] }] }), 'web', lbs, [])).toBeUndefined();
    expect(trafficOf(task({ attachments: eni }), 'web', lbs, [])?.targets).toEqual([{ targetGroupArn: TG, id: '10.1.0.7', port: 8080, containerPort: 8080 }]);
  });

  it('makes an instance target of a bridge task: its container instance (or the control host) and the host port', () => {
    const lbs = [{ targetGroupArn: TG, containerName: 'app', containerPort: 80 }];
    const bound = [{ name: 'app', networkBindings: [{ containerPort: 80, hostPort: 49153, bindIP: '127.0.0.1' }] }];
    expect(trafficOf(task({}), 'web', lbs, [])).toBeUndefined();
    expect(trafficOf(task({ containers: bound }), 'web', lbs, [])?.targets[0]).toMatchObject({ id: CONTROL_HOST_TARGET_ID, port: 49153 });
    const onInstance = task({ containers: bound, containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/f00d' });
    expect(trafficOf(onInstance, 'web', lbs, [])?.targets[0]).toMatchObject({ id: 'f00d', port: 49153 });
    // An SRV registration of a bridge task names the host port on the host's address.
    const registry = [{ registryArn: 'arn:r', containerName: 'app', containerPort: 80 }];
    expect(trafficOf(task({ containers: bound }), 'web', [], registry)?.instances[0]!.attributes).toMatchObject({ AWS_INSTANCE_IPV4: '127.0.0.1', AWS_INSTANCE_PORT: '49153' });
  });

  it('gives Cloud Map instances ECS’s attributes, the port only when one is named', () => {
    const [a] = trafficOf(task({ attachments: eni }), 'web', [], [{ registryArn: 'arn:r', port: 9000 }])!.instances;
    expect(a).toEqual({
      registryArn: 'arn:r',
      instanceId: 'abc',
      attributes: {
        AWS_INSTANCE_IPV4: '10.1.0.7',
        AWS_INSTANCE_PORT: '9000',
        AVAILABILITY_ZONE: 'us-east-1b',
        AWS_INIT_HEALTH_STATUS: 'HEALTHY',
        ECS_CLUSTER_NAME: 'c',
        ECS_SERVICE_NAME: 'web',
        ECS_TASK_DEFINITION_FAMILY: 'web',
        REGION: 'us-east-1',
      },
    });
  });
});

describe('targetHealthOf', () => {
  const states: TargetState[] = ['initial', 'healthy', 'unhealthy', 'unused', 'draining', 'unavailable'];
  it('is healthy only when every target is, unhealthy when any is', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ group: fc.integer({ min: 0, max: 2 }), state: fc.constantFrom(...states), answered: fc.boolean() }), { minLength: 1, maxLength: 6 }), (rows) => {
        const traffic: TaskTraffic = {
          phase: 'registered',
          targets: rows.map((r, i) => ({ targetGroupArn: `tg-${r.group}`, id: '10.0.0.1', port: 1000 + i, containerPort: 80 })),
          instances: [],
        };
        const health = new Map<string, TargetHealth[]>();
        rows.forEach((r, i) => {
          if (r.answered) health.set(`tg-${r.group}`, [...(health.get(`tg-${r.group}`) ?? []), { id: '10.0.0.1', port: 1000 + i, state: r.state }]);
        });
        const seen = rows.map((r) => (r.answered ? r.state : undefined));
        const out = targetHealthOf(traffic, health, false);
        if (seen.includes('unhealthy')) expect(out.targetHealth).toBe('unhealthy');
        else if (seen.every((s) => s === 'healthy')) expect(out.targetHealth).toBe('healthy');
        else expect(out.targetHealth).toBe('initial');
      }),
    );
  });
});
