import type { ContainerDefinition, NetworkMode, PortMapping } from '@aws-sdk/client-ecs';
import { describe, it } from 'vitest';
import { container, ec2, expectAccepted, expectRejected } from './rules.fixtures.js';

const task = (networkMode: NetworkMode | undefined, ...containers: ContainerDefinition[]) =>
  ec2({ networkMode, containerDefinitions: containers });
const ports = (...portMappings: PortMapping[]) => container({ portMappings });
const named = (name: string, ...portMappings: PortMapping[]) => container({ name, portMappings });

describe('container and host ports', () => {
  it('needs a containerPort within 1–65535 unless a range is given', () => {
    const message = "Invalid 'containerPort' setting for container 'app'.";
    expectRejected(task('bridge', ports({ hostPort: 80 })), 'request', message);
    expectRejected(task('bridge', ports({ containerPort: 0 })), 'request', message);
    expectRejected(task('bridge', ports({ containerPort: 65536 })), 'request', message);
    expectAccepted(task('bridge', ports({ containerPort: 65535 })));
  });

  it('takes no host port beyond 65535', () =>
    expectRejected(task('bridge', ports({ containerPort: 80, hostPort: 70000 })), 'request', "Invalid 'hostPort' setting for container 'app'."));

  it.each(['awsvpc', 'host'] as const)('needs hostPort to equal containerPort (or be unset) with %s', (mode) => {
    expectRejected(
      task(mode, ports({ containerPort: 80, hostPort: 8080 })),
      'request',
      `When networkMode=${mode}, the host ports and container ports in port mappings must match.`,
    );
    expectAccepted(task(mode, ports({ containerPort: 80, hostPort: 80 }, { containerPort: 81 }, { containerPort: 82, hostPort: 0 })));
  });

  it('lets bridge map a container port to any host port', () =>
    expectAccepted(task(undefined, ports({ containerPort: 80, hostPort: 8080 }))));

  it('takes no port mappings with network mode none', () =>
    expectRejected(task('none', ports({ containerPort: 80 })), 'request', 'Port mappings are not supported when networkMode=none.'));
});

describe('publishing a port twice', () => {
  it('rejects a host port two containers publish', () => {
    expectRejected(
      task('bridge', named('a', { containerPort: 80, hostPort: 8080 }), named('b', { containerPort: 81, hostPort: 8080 })),
      'request',
      "TCP host port '8080' is mapped multiple times in task.",
    );
    expectRejected(
      task('awsvpc', named('a', { containerPort: 53, protocol: 'udp' }), named('b', { containerPort: 53, protocol: 'udp' })),
      'request',
      "UDP host port '53' is mapped multiple times in task.",
    );
  });

  it('allows the same port once per protocol', () =>
    expectAccepted(task('awsvpc', ports({ containerPort: 53, protocol: 'tcp' }, { containerPort: 53, protocol: 'udp' }))));

  it('rejects the same container port twice with dynamic host ports', () => {
    expectRejected(
      task('bridge', ports({ containerPort: 80 }, { containerPort: 80, hostPort: 0 })),
      'parameter',
      'Container port 80 is used in more than one port mapping for container app',
    );
    expectAccepted(task('bridge', ports({ containerPort: 80 }, { containerPort: 80, hostPort: 8080 })));
  });
});

describe('containerPortRange', () => {
  const message = "Invalid 'containerPortRange' setting for container 'app'.";

  it.each(['bridge', 'awsvpc'] as const)('is accepted with %s', (mode) =>
    expectAccepted(task(mode, ports({ containerPortRange: '7000-7010' }, { containerPortRange: '7011-7020', protocol: 'tcp' }, { containerPort: 80 }))),
  );

  it('is rejected with host and none', () => {
    expectRejected(task('host', ports({ containerPortRange: '7000-7010' })), 'request', message);
    expectRejected(task('none', ports({ containerPortRange: '7000-7010' })), 'request', 'Port mappings are not supported when networkMode=none.');
  });

  it.each(['7010-7000', '7000-7000', '0-10', '1-65536', '7000', 'a-b'])('rejects the range %j', (containerPortRange) =>
    expectRejected(task('bridge', ports({ containerPortRange })), 'request', message),
  );

  it('comes without containerPort and hostPort', () => {
    expectRejected(task('bridge', ports({ containerPortRange: '7000-7010', containerPort: 7000 })), 'request', message);
    expectRejected(task('bridge', ports({ containerPortRange: '7000-7010', hostPort: 7000 })), 'request', message);
  });

  it('may not overlap another range or port of the same protocol', () => {
    expectRejected(task('bridge', ports({ containerPortRange: '7000-7010' }, { containerPortRange: '7010-7020' })), 'request', message);
    expectRejected(task('bridge', ports({ containerPort: 7005 }, { containerPortRange: '7000-7010' })), 'request', message);
    expectAccepted(task('bridge', ports({ containerPortRange: '7000-7010' }, { containerPortRange: '7000-7010', protocol: 'udp' })));
  });

  it('allows at most 100 ranges per container', () => {
    const ranges = (n: number) => Array.from({ length: n }, (_, i) => ({ containerPortRange: `${10000 + 2 * i}-${10001 + 2 * i}` }));
    expectAccepted(task('bridge', ports(...ranges(100))));
    expectRejected(task('bridge', ports(...ranges(101))), 'request', message);
  });
});
