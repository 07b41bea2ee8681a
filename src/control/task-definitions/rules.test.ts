import { describe, expect, it } from 'vitest';
import { checkTaskDefinitionRules } from './rules.js';
import { container, ec2, expectAccepted, expectRejected, fargate } from './rules.fixtures.js';

describe('task definitions ECS accepts', () => {
  it('accepts a minimal EC2 and a minimal Fargate definition', () => {
    expectAccepted(ec2());
    expectAccepted(fargate());
  });

  it('accepts a fuller definition: several containers, volumes, links, dependencies, tags', () => {
    expectAccepted(
      ec2({
        cpu: '1 vCPU',
        memory: '1 GB',
        volumes: [{ name: 'data', host: { sourcePath: '/srv/data' } }],
        containerDefinitions: [
          container({
            name: 'web',
            cpu: 512,
            memoryReservation: 128,
            links: ['db:database'],
            portMappings: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 80, protocol: 'udp' }],
            mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }],
            dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }, { containerName: 'init', condition: 'SUCCESS' }],
          }),
          container({ name: 'db', healthCheck: { command: ['CMD', 'true'], interval: 5, timeout: 60, retries: 10 } }),
          container({ name: 'init', essential: false, volumesFrom: [{ sourceContainer: 'web' }] }),
        ],
        tags: [{ key: 'team', value: 'aws:is-fine-in-a-value' }],
      }),
    );
  });
});

describe('family', () => {
  it('must be set', () => expectRejected(ec2({ family: '' }), 'request', 'Family can not be blank.'));

  it.each(['web app', 'web.app', 'a'.repeat(256)])('rejects %j', (family) =>
    expectRejected(ec2({ family }), 'request', 'Family contains invalid characters.'),
  );

  it('accepts letters, digits, hyphens and underscores up to 255', () =>
    expectAccepted(ec2({ family: `Web_app-1${'x'.repeat(246)}` })));
});

describe('container list', () => {
  it('needs at least one container', () =>
    expectRejected(ec2({ containerDefinitions: [] }), 'request', 'Container list cannot be empty.'));

  it('takes at most ten', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => container({ name: `c${i}` }));
    expectAccepted(ec2({ containerDefinitions: many(10) }));
    expectRejected(ec2({ containerDefinitions: many(11) }), 'request', 'Too many containers.');
  });

  it('needs a name', () =>
    expectRejected(ec2({ containerDefinitions: [container({ name: undefined })] }), 'request', 'Container.name should not be null or empty.'));

  it.each(['my app', 'app!', 'a'.repeat(256)])('rejects the container name %j', (name) =>
    expectRejected(ec2({ containerDefinitions: [container({ name })] }), 'request', 'Container.name contains invalid characters.'),
  );

  it('needs unique names, compared case-sensitively', () => {
    expectRejected(
      ec2({ containerDefinitions: [container(), container()] }),
      'request',
      'Container names must be unique within a Task Definition.',
    );
    expectAccepted(ec2({ containerDefinitions: [container(), container({ name: 'APP' })] }));
  });

  it('needs an image', () =>
    expectRejected(ec2({ containerDefinitions: [container({ image: '' })] }), 'request', 'Container.image should not be null or empty.'));

  it('needs an essential container; essential defaults to true', () => {
    expectRejected(
      ec2({ containerDefinitions: [container({ essential: false })] }),
      'request',
      "Task definition doesn't have any essential container.",
    );
    expectAccepted(ec2({ containerDefinitions: [container({ essential: undefined })] }));
  });
});

describe('task cpu and memory', () => {
  it('rejects an unreadable cpu or memory', () => {
    expectRejected(ec2({ cpu: 'lots' }), 'request', "Invalid 'cpu' setting for task.");
    expectRejected(ec2({ memory: '2 TB' }), 'request', "Invalid 'memory' setting for task.");
  });

  it('keeps cpu within 128–196608 units', () => {
    expectAccepted(ec2({ cpu: '128' }));
    expectAccepted(ec2({ cpu: '192 vCPU' }));
    expectRejected(ec2({ cpu: '64' }), 'request', "Invalid 'cpu' setting for task.");
    expectRejected(ec2({ cpu: '196609' }), 'request', "Invalid 'cpu' setting for task.");
  });
});

describe('container memory', () => {
  const noMemory = container({ memory: undefined });

  it('needs memory or memoryReservation when the task sets no memory', () => {
    const message = "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.";
    expectRejected(ec2({ containerDefinitions: [noMemory] }), 'request', message);
    expectRejected(ec2({ containerDefinitions: [container({ memory: 0 })] }), 'request', message);
    expectAccepted(ec2({ containerDefinitions: [container({ memory: undefined, memoryReservation: 64 })] }));
    expectAccepted(ec2({ memory: '512', containerDefinitions: [noMemory] }));
  });

  it('is checked before the Fargate task size', () =>
    expectRejected(
      fargate({ memory: undefined }),
      'request',
      "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.",
    ));

  it('keeps memory at or above memoryReservation', () => {
    expectAccepted(ec2({ containerDefinitions: [container({ memory: 128, memoryReservation: 128 })] }));
    expectRejected(
      ec2({ containerDefinitions: [container({ memory: 128, memoryReservation: 256 })] }),
      'request',
      "Invalid setting for container 'app'. 'memory' must be greater than or equal to 'memoryReservation'.",
    );
  });

  it('fits in the task memory', () => {
    expectRejected(
      ec2({ memory: '512', containerDefinitions: [container({ memory: 1024 })] }),
      'request',
      "The 'memory' setting for container 'app' is greater than for the task.",
    );
    expectRejected(
      ec2({ memory: '512', containerDefinitions: [container({ memory: undefined, memoryReservation: 300 }), container({ name: 'b', memory: 300 })] }),
      'request',
      "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.",
    );
    expectAccepted(ec2({ memory: '512', containerDefinitions: [container({ memory: 512 })] }));
  });
});

describe('container cpu', () => {
  it('sums to no more than the task cpu', () => {
    const two = [container({ cpu: 200 }), container({ name: 'b', cpu: 100 })];
    expectRejected(
      ec2({ cpu: '256', containerDefinitions: two }),
      'request',
      "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.",
    );
    expectAccepted(ec2({ cpu: '512', containerDefinitions: two }));
    expectAccepted(ec2({ containerDefinitions: two }));
  });
});

describe('network mode features', () => {
  const linked = [container({ links: ['db'] }), container({ name: 'db' })];

  it('allows links only in bridge mode', () => {
    expectAccepted(ec2({ containerDefinitions: linked }));
    expectRejected(ec2({ networkMode: 'awsvpc', containerDefinitions: linked }), 'request', 'Links are not supported when networkMode=awsvpc.');
    expectRejected(ec2({ networkMode: 'host', containerDefinitions: linked }), 'request', 'Links are not supported when networkMode=host.');
  });

  it('rejects hostname and extraHosts with awsvpc', () => {
    expectAccepted(ec2({ containerDefinitions: [container({ hostname: 'web' })] }));
    expectRejected(
      ec2({ networkMode: 'awsvpc', containerDefinitions: [container({ hostname: 'web' })] }),
      'request',
      'hostname is not supported on container when networkMode=awsvpc.',
    );
    expectRejected(
      ec2({ networkMode: 'awsvpc', containerDefinitions: [container({ extraHosts: [{ hostname: 'h', ipAddress: '10.0.0.1' }] })] }),
      'request',
      'extraHosts is not supported on container when networkMode=awsvpc.',
    );
  });
});

describe('health check', () => {
  const withCheck = (healthCheck: object) => ec2({ containerDefinitions: [container({ healthCheck: { command: ['CMD', 'true'], ...healthCheck } })] });

  it('accepts any first word, since ECS passes the command through', () =>
    expectAccepted(withCheck({ command: ['/healthcheck'] })));

  it('needs a command', () =>
    expectRejected(withCheck({ command: [] }), 'request', "Invalid 'healthCheck.command' setting for container 'app'."));

  it.each([
    ['interval', 4],
    ['interval', 301],
    ['timeout', 1],
    ['timeout', 61],
    ['retries', 0],
    ['retries', 11],
    ['startPeriod', -1],
    ['startPeriod', 301],
  ])('rejects %s %i', (field, value) =>
    expectRejected(withCheck({ [field]: value }), 'request', `Invalid 'healthCheck.${field}' setting for container 'app'.`),
  );

  it('accepts the bounds', () => {
    expectAccepted(withCheck({ interval: 300, timeout: 2, retries: 1, startPeriod: 0 }));
    expectAccepted(withCheck({ startPeriod: 300 }));
  });
});

describe('logging and secrets', () => {
  const awslogs = (options: Record<string, string>) => container({ logConfiguration: { logDriver: 'awslogs', options } });

  it('needs awslogs-region and awslogs-group with awslogs', () => {
    expectRejected(ec2({ containerDefinitions: [awslogs({})] }), 'request', 'Log driver awslogs requires options: awslogs-region, awslogs-group');
    expectRejected(
      ec2({ containerDefinitions: [awslogs({ 'awslogs-region': 'eu-west-1' })] }),
      'request',
      'Log driver awslogs requires options: awslogs-group',
    );
    expectAccepted(ec2({ containerDefinitions: [awslogs({ 'awslogs-region': 'eu-west-1', 'awslogs-group': 'g' })] }));
  });

  it('needs an execution role for secrets, on any launch type', () => {
    const secret = container({ secrets: [{ name: 'PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/p' }] });
    expectRejected(
      ec2({ containerDefinitions: [secret] }),
      'request',
      "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
    );
    expectAccepted(ec2({ executionRoleArn: 'arn:aws:iam::123456789012:role/exec', containerDefinitions: [secret] }));
  });
});

describe('tags', () => {
  it('rejects keys in the aws: space, in any case', () =>
    expectRejected(ec2({ tags: [{ key: 'AWS:owner', value: 'me' }] }), 'parameter', 'Tag keys cannot start with the reserved prefix "aws:".'));

  it('rejects a repeated key', () =>
    expectRejected(ec2({ tags: [{ key: 'team', value: 'a' }, { key: 'team', value: 'b' }] }), 'parameter', 'Duplicate tag key: team'));

  it('treats keys case-sensitively', () => expectAccepted(ec2({ tags: [{ key: 'a' }, { key: 'A' }] })));
});

describe('FireLens pairing', () => {
  const router = { name: 'log_router', image: 'fluent-bit', memory: 64, firelensConfiguration: { type: 'fluentbit' as const } };
  const user = { name: 'app', image: 'app', memory: 64, logConfiguration: { logDriver: 'awsfirelens' as const, options: { Name: 'cloudwatch_logs' } } };
  it('needs a log router when a container logs with awsfirelens, and a user when there is a router', () => {
    expect(() => checkTaskDefinitionRules({ family: 'f', containerDefinitions: [user] })).toThrow(/a firelens configuration object must be configured/);
    expect(() => checkTaskDefinitionRules({ family: 'f', containerDefinitions: [router, { name: 'b', image: 'b', memory: 64 }] })).toThrow(
      /at least one container has to be configured with the awsfirelens log driver/,
    );
    expect(() => checkTaskDefinitionRules({ family: 'f', containerDefinitions: [router, user] })).not.toThrow();
  });
});
