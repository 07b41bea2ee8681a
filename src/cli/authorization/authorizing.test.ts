import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { createIamDomain } from '../../iam/iam-domain.js';
import type { Scope } from '../../lib/scope.js';
import { ValueCipher } from '../../secrets/crypto/value-cipher.js';
import { AwsError } from '../../server/aws-error.js';
import type { AwsService } from '../../server/service.js';
import { MemoryStore } from '../../store/memory-store.js';
import { authorizing } from './authorizing.js';
import { authorizeAll } from './index.js';
import { ECS_AUTHORIZATION } from './tables/ecs.js';
import { EC2_AUTHORIZATION } from './tables/ec2.js';

const ACCOUNT = '000000000000';
const root: Scope = { accountId: ACCOUNT, region: 'us-east-1', principalArn: `arn:aws:iam::${ACCOUNT}:root`, now: new Date() };
const session: Scope = {
  ...root,
  principalArn: `arn:aws:iam::${ACCOUNT}:role/app`,
  caller: { kind: 'assumed-role', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s`, userId: 'AROAX:s', accessKeyId: 'ASIAX', temporary: true, roleArn: `arn:aws:iam::${ACCOUNT}:role/app` },
};
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function authorizer() {
  const iam = createIamDomain(new MemoryStore(), new ValueCipher(randomBytes(32)));
  await iam.roles.create(root, { name: 'app', assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }) });
  await iam.roles.putInlinePolicy(root, 'app', 'p', doc({ Effect: 'Allow', Action: 'ecs:DescribeClusters', Resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/web` }));
  return iam.authorizer;
}

/** A service whose handlers record that they ran. */
function recording(signingName: string, model: string, operations: string[], ran: string[]): AwsService {
  return {
    signingName,
    model: loadServiceModel(model),
    handlers: Object.fromEntries(operations.map((op) => [op, async () => ran.push(op)])),
    errorName: () => 'ServerException',
    constraintErrorName: 'InvalidParameterException',
    genericErrorNames: { client: 'ClientException', server: 'ServerException' },
    ...(model === 'ec2' && { unmodelledErrors: true }),
  };
}

const refusal = async (p: Promise<unknown>): Promise<AwsError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AwsError)) throw new Error(`expected an AwsError, got ${String(err)}`);
  return err;
};

describe('authorizing', () => {
  it("runs the handler when the role's policy allows the action on the resource; refuses the rest before it runs", async () => {
    const ran: string[] = [];
    const ecs = authorizing(recording('ecs', 'ecs', ['DescribeClusters', 'CreateCluster'], ran), await authorizer(), ECS_AUTHORIZATION);
    const ctx = { scope: session, requestId: 'r' };
    await ecs.handlers.DescribeClusters!({ clusters: ['web'] }, ctx);
    const err = await refusal(ecs.handlers.DescribeClusters!({ clusters: ['web', 'db'] }, ctx));
    expect([err.code, err.status]).toEqual(['AccessDeniedException', 400]);
    expect(err.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/app/s is not authorized to perform: ecs:DescribeClusters on resource: arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/db because no identity-based policy allows the ecs:DescribeClusters action`,
    );
    expect((await refusal(ecs.handlers.CreateCluster!({ clusterName: 'x' }, ctx))).message).toMatch(/ecs:CreateCluster on resource: \* because/);
    expect(ran).toEqual(['DescribeClusters']);
    // The root is not restricted.
    await ecs.handlers.CreateCluster!({ clusterName: 'x' }, { scope: root, requestId: 'r' });
    expect(ran).toEqual(['DescribeClusters', 'CreateCluster']);
    // The model lists the refusal on every operation.
    expect(ecs.model.operations.CreateCluster!.errors?.map((e) => e.shape)).toContain('AccessDeniedException');
  });

  it("answers EC2's UnauthorizedOperation, 403, with AWS's preamble", async () => {
    const ec2 = authorizing(recording('ec2', 'ec2', ['DescribeVpcs'], []), await authorizer(), EC2_AUTHORIZATION);
    const err = await refusal(ec2.handlers.DescribeVpcs!({}, { scope: session, requestId: 'r' }));
    expect([err.code, err.status]).toEqual(['UnauthorizedOperation', 403]);
    expect(err.message).toMatch(/^You are not authorized to perform this operation\. User: .* is not authorized to perform: ec2:DescribeVpcs on resource: \* because/);
  });

  it('sets ecs:cluster, so that a policy may confine RunTask to one cluster', async () => {
    const iam = createIamDomain(new MemoryStore(), new ValueCipher(randomBytes(32)));
    await iam.roles.create(root, { name: 'app', assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }) });
    const onlyWeb = { ArnEquals: { 'ecs:cluster': `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/web` } };
    await iam.roles.putInlinePolicy(root, 'app', 'p', doc({ Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*', Condition: onlyWeb }));
    const ran: string[] = [];
    const ecs = authorizing(recording('ecs', 'ecs', ['RunTask'], ran), iam.authorizer, ECS_AUTHORIZATION);
    const ctx = { scope: session, requestId: 'r' };
    await ecs.handlers.RunTask!({ cluster: 'web', taskDefinition: 'app:1' }, ctx);
    await ecs.handlers.RunTask!({ cluster: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/web`, taskDefinition: 'app:1' }, ctx);
    expect((await refusal(ecs.handlers.RunTask!({ cluster: 'db', taskDefinition: 'app:1' }, ctx))).code).toBe('AccessDeniedException');
    expect((await refusal(ecs.handlers.RunTask!({ taskDefinition: 'app:1' }, ctx))).code).toBe('AccessDeniedException');
    expect(ran).toEqual(['RunTask', 'RunTask']);
  });

  it('refuses to serve an API that has no table', async () => {
    expect(() => authorizeAll([recording('ecs', 'ecs', [], [])], {} as never, new Map())).toThrow(/no authorization table for the ecs API/);
  });
});
