import {
  ClientException,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  InvalidParameterException,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  paginateListTaskDefinitions,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from './support/platform.js';

const env = usePlatform();
let ecs: ECSClient;
beforeAll(() => {
  ecs = env.ecs();
});

const ARN = 'arn:aws:ecs:us-east-1:000000000000:task-definition';

const web = (family = 'web'): RegisterTaskDefinitionCommandInput => ({
  family,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'app',
      image: 'nginx:1.27',
      portMappings: [{ containerPort: 80 }],
      healthCheck: { command: ['CMD-SHELL', 'wget -q -O- localhost || exit 1'], interval: 10 },
      dockerLabels: { tier: 'front' },
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
    },
    { name: 'sidecar', image: 'busybox', essential: false, dependsOn: [{ containerName: 'app', condition: 'HEALTHY' }] },
  ],
});

describe('RegisterTaskDefinition and DescribeTaskDefinition', () => {
  it('registers revisions per family, keeps the definition verbatim and fills ECS defaults', async () => {
    const first = await ecs.send(new RegisterTaskDefinitionCommand({ ...web(), tags: [{ key: 'env', value: 'dev' }] }));
    const td = first.taskDefinition!;
    expect(td.taskDefinitionArn).toBe(`${ARN}/web:1`);
    expect(td.revision).toBe(1);
    expect(td.status).toBe('ACTIVE');
    expect(td.compatibilities).toEqual(['EC2', 'FARGATE']);
    expect(td.registeredAt).toBeInstanceOf(Date);
    expect(Math.abs(td.registeredAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(td.registeredBy).toBe('arn:aws:iam::000000000000:root');
    const app = td.containerDefinitions![0]!;
    expect(app).toMatchObject({
      name: 'app',
      image: 'nginx:1.27',
      cpu: 0,
      essential: true,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
      dockerLabels: { tier: 'front' },
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
    });
    expect(first.tags).toEqual([{ key: 'env', value: 'dev' }]);

    const second = await ecs.send(new RegisterTaskDefinitionCommand(web()));
    expect(second.taskDefinition?.revision).toBe(2);

    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition?.revision).toBe(2);
    expect(latest.tags).toBeUndefined();
    const byRevision = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1', include: ['TAGS'] }));
    expect(byRevision.taskDefinition?.revision).toBe(1);
    expect(byRevision.tags).toEqual([{ key: 'env', value: 'dev' }]);
    const byArn = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${ARN}/web:2` }));
    expect(byArn.taskDefinition).toEqual(second.taskDefinition);
  });

  it('answers ClientException for a task definition that does not exist', async () => {
    for (const ref of ['nothing', 'web:99', `${ARN}/nothing:1`, 'web:x']) {
      await expect(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }))).rejects.toBeInstanceOf(ClientException);
    }
  });

  it.each([
    ['duplicate container names', { containerDefinitions: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }],
    ['a dependsOn target that is not in the task', { containerDefinitions: [{ name: 'a', image: 'x', dependsOn: [{ containerName: 'b', condition: 'START' }] }] }],
    ['an unsupported Fargate size', { cpu: '256', memory: '4096' }],
    ['Fargate without awsvpc', { networkMode: 'bridge' }],
    ['conflicting port mappings', { containerDefinitions: [{ name: 'a', image: 'x', portMappings: [{ containerPort: 80 }, { containerPort: 80 }] }] }],
    ['awsvpc hostPort different from containerPort', { containerDefinitions: [{ name: 'a', image: 'x', portMappings: [{ containerPort: 80, hostPort: 8080 }] }] }],
    ['no essential container', { containerDefinitions: [{ name: 'a', image: 'x', essential: false }] }],
    ['a bad family name', { family: 'no spaces' }],
  ])('rejects %s and stores nothing', async (_label, change) => {
    const family = `rejected-${Math.random().toString(36).slice(2, 8)}`;
    const input = { ...web(family), ...change } as RegisterTaskDefinitionCommandInput;
    const err = await ecs.send(new RegisterTaskDefinitionCommand(input)).catch((e: unknown) => e);
    expect(err).toSatisfy((e: unknown) => e instanceof ClientException || e instanceof InvalidParameterException);
    const families = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: input.family }));
    expect(families.families).toEqual([]);
  });

  it('rejects input that breaks the model: missing family, bad enum, missing container image', async () => {
    const noFamily = { ...web(), family: undefined } as unknown as RegisterTaskDefinitionCommandInput;
    await expect(ecs.send(new RegisterTaskDefinitionCommand(noFamily))).rejects.toBeInstanceOf(InvalidParameterException);
    const badEnum = { ...web('enum'), networkMode: 'overlay' } as unknown as RegisterTaskDefinitionCommandInput;
    await expect(ecs.send(new RegisterTaskDefinitionCommand(badEnum))).rejects.toBeInstanceOf(InvalidParameterException);
    const noImage = { ...web('noimage'), containerDefinitions: [{ name: 'a' }] };
    await expect(ecs.send(new RegisterTaskDefinitionCommand(noImage))).rejects.toSatisfy(
      (e: unknown) => e instanceof ClientException || e instanceof InvalidParameterException,
    );
  });
});

describe('ListTaskDefinitions and ListTaskDefinitionFamilies', () => {
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await ecs.send(new RegisterTaskDefinitionCommand(web('list-a')));
    await ecs.send(new RegisterTaskDefinitionCommand(web('list-b')));
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'list-b:1' }));
  });

  it('lists ACTIVE revisions of a family in order, and the reverse with sort DESC', async () => {
    const asc = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'list-a' }));
    expect(asc.taskDefinitionArns).toEqual([1, 2, 3].map((r) => `${ARN}/list-a:${r}`));
    const desc = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'list-a', sort: 'DESC' }));
    expect(desc.taskDefinitionArns).toEqual([3, 2, 1].map((r) => `${ARN}/list-a:${r}`));
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns).toEqual([`${ARN}/list-b:1`]);
  });

  it('pages with maxResults and nextToken', async () => {
    const arns: string[] = [];
    for await (const page of paginateListTaskDefinitions({ client: ecs, pageSize: 2 }, { familyPrefix: 'list-a', sort: 'DESC' })) {
      arns.push(...page.taskDefinitionArns!);
    }
    expect(arns).toEqual([3, 2, 1].map((r) => `${ARN}/list-a:${r}`));
  });

  it('lists families by prefix and by whether they have ACTIVE revisions', async () => {
    const all = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'list-' }));
    expect(all.families).toEqual(['list-a', 'list-b']);
    const active = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'list-', status: 'ACTIVE' }));
    expect(active.families).toEqual(['list-a']);
    const inactive = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'list-', status: 'INACTIVE' }));
    expect(inactive.families).toEqual(['list-b']);
  });
});

describe('DeregisterTaskDefinition and DeleteTaskDefinitions', () => {
  it('deregisters, then deletes INACTIVE revisions and reports ACTIVE ones as failures', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(web('del')));
    await ecs.send(new RegisterTaskDefinitionCommand(web('del')));
    const dereg = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'del:1' }));
    expect(dereg.taskDefinition?.status).toBe('INACTIVE');
    expect(dereg.taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    // A bare family is refused: deregistration names one revision.
    await expect(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'del' }))).rejects.toBeInstanceOf(ClientException);

    const res = await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ['del:1', 'del:2', 'del:9'] }));
    expect(res.taskDefinitions?.map((t) => [t.taskDefinitionArn, t.status])).toEqual([[`${ARN}/del:1`, 'DELETE_IN_PROGRESS']]);
    expect(res.taskDefinitions?.[0]?.deleteRequestedAt).toBeInstanceOf(Date);
    expect(res.failures?.map((f) => f.arn)).toEqual([`${ARN}/del:2`, 'del:9']);
    expect(res.failures?.[0]?.reason).toContain('ACTIVE');

    // A new registration never reuses a revision number.
    const next = await ecs.send(new RegisterTaskDefinitionCommand(web('del')));
    expect(next.taskDefinition?.revision).toBe(3);
    await expect(
      ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: Array.from({ length: 11 }, (_, i) => `del:${i + 1}`) })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
