import type { ContainerDependency } from '@aws-sdk/client-ecs';
import { describe, it } from 'vitest';
import { container, ec2, expectAccepted, expectRejected } from './rules.fixtures.js';

describe('volumes and mount points', () => {
  it('needs unique volume names', () =>
    expectRejected(ec2({ volumes: [{ name: 'v' }, { name: 'v' }] }), 'request', 'Volume names must be unique within a Task Definition.'));

  it('mounts only declared volumes', () => {
    const mounting = (sourceVolume?: string) => container({ mountPoints: [{ sourceVolume, containerPath: '/data' }] });
    expectRejected(ec2({ containerDefinitions: [mounting('data')] }), 'request', "Unknown volume 'data'.");
    expectRejected(ec2({ containerDefinitions: [mounting(undefined)] }), 'request', "Unknown volume 'null'.");
    expectAccepted(ec2({ volumes: [{ name: 'data' }], containerDefinitions: [mounting('data')] }));
  });

  it('takes volumesFrom only from containers of the task', () => {
    const from = container({ volumesFrom: [{ sourceContainer: 'sidecar' }] });
    expectRejected(ec2({ containerDefinitions: [from] }), 'request', "Invalid 'volumesFrom' setting. Unknown container: 'sidecar'.");
    expectAccepted(ec2({ containerDefinitions: [from, container({ name: 'sidecar' })] }));
  });

  it('links only containers of the task', () => {
    expectRejected(ec2({ containerDefinitions: [container({ links: ['db:database'] })] }), 'request', "Invalid 'links' setting. Unknown container: 'db'.");
    expectAccepted(ec2({ containerDefinitions: [container({ links: ['db:database'] }), container({ name: 'db' })] }));
  });
});

describe('dependsOn', () => {
  const app = (...dependsOn: ContainerDependency[]) => container({ dependsOn });

  it('names an existing container', () =>
    expectRejected(
      ec2({ containerDefinitions: [app({ containerName: 'db', condition: 'START' })] }),
      'request',
      "Cannot depend on container + 'db' because it does not exist",
    ));

  it('waits for COMPLETE or SUCCESS only on non-essential containers', () => {
    for (const condition of ['COMPLETE', 'SUCCESS'] as const) {
      expectRejected(
        ec2({ containerDefinitions: [app({ containerName: 'init', condition }), container({ name: 'init' })] }),
        'request',
        'A dependency container with SUCCESS or COMPLETE condition cannot be an essential container',
      );
      expectAccepted(ec2({ containerDefinitions: [app({ containerName: 'init', condition }), container({ name: 'init', essential: false })] }));
    }
  });

  it('waits for HEALTHY only on a container with a health check', () => {
    const healthy = app({ containerName: 'db', condition: 'HEALTHY' });
    expectRejected(
      ec2({ containerDefinitions: [healthy, container({ name: 'db' })] }),
      'request',
      "Invalid 'dependsOn' setting for container 'app'. Container 'db' has no health check.",
    );
    expectAccepted(ec2({ containerDefinitions: [healthy, container({ name: 'db', healthCheck: { command: ['CMD', 'true'] } })] }));
  });

  it('forms no cycle, a container on itself included', () => {
    expectRejected(
      ec2({ containerDefinitions: [app({ containerName: 'app', condition: 'START' })] }),
      'request',
      "Invalid 'dependsOn' setting for container 'app'. The dependencies form a cycle.",
    );
    expectRejected(
      ec2({
        containerDefinitions: [
          app({ containerName: 'b', condition: 'START' }),
          container({ name: 'b', dependsOn: [{ containerName: 'c', condition: 'START' }] }),
          container({ name: 'c', dependsOn: [{ containerName: 'b', condition: 'START' }] }),
        ],
      }),
      'request',
      "Invalid 'dependsOn' setting for container 'b'. The dependencies form a cycle.",
    );
    expectAccepted(
      ec2({
        containerDefinitions: [
          app({ containerName: 'b', condition: 'START' }, { containerName: 'c', condition: 'START' }),
          container({ name: 'b', dependsOn: [{ containerName: 'c', condition: 'START' }] }),
          container({ name: 'c' }),
        ],
      }),
    );
  });
});
