import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdCli, startDiscoveryFixture, type DiscoveryFixture } from './fixture.js';

/** The AWS CLI (botocore) against Cloud Map, including discover-instances on the single endpoint. */
let fx: DiscoveryFixture;
let home: string;
const cli = (...args: string[]) => sdCli(fx.endpoint, home, args);
const json = async (...args: string[]) => {
  const r = await cli(...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout || '{}');
};

beforeAll(async () => {
  fx = await startDiscoveryFixture();
  home = mkdtempSync(join(tmpdir(), 'minato-sd-cli-'));
});
afterAll(async () => {
  await fx?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('aws servicediscovery', () => {
  it('creates a namespace, a service and an instance, and discovers it', async () => {
    const { OperationId } = await json('create-private-dns-namespace', '--name', 'cli.internal', '--vpc', 'vpc-01234567');
    const op = await json('get-operation', '--operation-id', OperationId);
    expect(op.Operation.Status).toBe('SUCCESS');
    const ns = op.Operation.Targets.NAMESPACE;
    const { Service } = await json(
      'create-service', '--name', 'api', '--namespace-id', ns,
      '--dns-config', 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60},{Type=SRV,TTL=60}]',
    );
    expect(Service.Type).toBe('DNS_HTTP');
    await json('register-instance', '--service-id', Service.Id, '--instance-id', 'one',
      '--attributes', 'AWS_INSTANCE_IPV4=10.2.0.1,AWS_INSTANCE_PORT=8080,stage=prod');
    const found = await json('discover-instances', '--namespace-name', 'cli.internal', '--service-name', 'api');
    expect(found.Instances).toEqual([
      { InstanceId: 'one', NamespaceName: 'cli.internal', ServiceName: 'api', HealthStatus: 'HEALTHY', Attributes: { AWS_INSTANCE_IPV4: '10.2.0.1', AWS_INSTANCE_PORT: '8080', stage: 'prod' } },
    ]);
    expect(typeof found.InstancesRevision).toBe('number');
    const listed = await json('list-instances', '--service-id', Service.Id);
    expect(listed.Instances.map((i: { Id: string }) => i.Id)).toEqual(['one']);
    const ops = await json('list-operations', '--filters', `Name=NAMESPACE_ID,Values=${ns},Condition=EQ`);
    expect(ops.Operations).toEqual([{ Id: OperationId, Status: 'SUCCESS' }]);

    const inUse = await cli('delete-service', '--id', Service.Id);
    expect(inUse.code).not.toBe(0);
    expect(inUse.stderr).toMatch(/ResourceInUse/);
    await json('deregister-instance', '--service-id', Service.Id, '--instance-id', 'one');
    await json('delete-service', '--id', Service.Id);
    await json('delete-namespace', '--id', ns);
    expect((await json('list-namespaces')).Namespaces).toEqual([]);
  });

  it("answers Cloud Map's errors", async () => {
    const missing = await cli('get-namespace', '--id', 'ns-0000000000000000');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/NamespaceNotFound/);
    const pub = await cli('create-public-dns-namespace', '--name', 'example.com');
    expect(pub.stderr).toMatch(/InvalidInput/);
    const nothing = await cli('discover-instances', '--namespace-name', 'none.internal', '--service-name', 'x');
    expect(nothing.stderr).toMatch(/NamespaceNotFound/);
  });
});
