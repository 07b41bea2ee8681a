import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand,
  DeregisterInstanceCommand,
  DiscoverInstancesCommand,
  DiscoverInstancesRevisionCommand,
  GetInstanceCommand,
  GetInstancesHealthStatusCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  GetServiceCommand,
  ListInstancesCommand,
  ListNamespacesCommand,
  ListOperationsCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  RegisterInstanceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateInstanceCustomHealthStatusCommand,
  UpdatePrivateDnsNamespaceCommand,
  UpdateServiceCommand,
  type ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startDiscoveryFixture, type DiscoveryFixture } from './fixture.js';

let fx: DiscoveryFixture;
let sd: ServiceDiscoveryClient;

beforeAll(async () => {
  fx = await startDiscoveryFixture();
  sd = fx.client();
});
afterAll(async () => {
  await fx?.close();
});

/** The namespace an operation created. */
async function namespaceOf(operationId: string): Promise<string> {
  const { Operation } = await sd.send(new GetOperationCommand({ OperationId: operationId }));
  expect(Operation?.Status).toBe('SUCCESS');
  return Operation!.Targets!.NAMESPACE!;
}

async function privateNamespace(name: string): Promise<string> {
  const { OperationId } = await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: name, Vpc: 'vpc-0123456789abcdef0' }));
  return namespaceOf(OperationId!);
}

describe('namespaces', () => {
  it('creates a private DNS namespace through a finished operation, shows and lists it, and deletes it', async () => {
    const { OperationId } = await sd.send(
      new CreatePrivateDnsNamespaceCommand({ Name: 'corp.internal', Vpc: 'vpc-0123456789abcdef0', Description: 'd', CreatorRequestId: 'req-1', Tags: [{ Key: 'team', Value: 'a' }] }),
    );
    const { Operation } = await sd.send(new GetOperationCommand({ OperationId }));
    expect(Operation).toMatchObject({ Id: OperationId, Type: 'CREATE_NAMESPACE', Status: 'SUCCESS', OwnerAccount: '000000000000' });
    expect(Operation!.CreateDate).toBeInstanceOf(Date);
    // The owner's account finds it; another account shares no namespace here.
    expect((await sd.send(new GetOperationCommand({ OperationId, OwnerAccount: '000000000000' }))).Operation!.Id).toBe(OperationId);
    expect((await failure(sd.send(new GetOperationCommand({ OperationId, OwnerAccount: '111122223333' })))).name).toBe('OperationNotFound');
    const id = Operation!.Targets!.NAMESPACE!;
    expect(id).toMatch(/^ns-[a-z0-9]{16}$/);
    const { Namespace } = await sd.send(new GetNamespaceCommand({ Id: id }));
    expect(Namespace).toMatchObject({
      Id: id,
      Arn: `arn:aws:servicediscovery:us-east-1:000000000000:namespace/${id}`,
      Name: 'corp.internal',
      Type: 'DNS_PRIVATE',
      Description: 'd',
      ServiceCount: 0,
      CreatorRequestId: 'req-1',
      Properties: { DnsProperties: { SOA: { TTL: 15 } }, HttpProperties: { HttpName: 'corp.internal' } },
    });
    // The same CreatorRequestId again is the same operation; with another name, a DuplicateRequest.
    const again = await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'corp.internal', Vpc: 'vpc-0123456789abcdef0', CreatorRequestId: 'req-1' }));
    expect(again.OperationId).toBe(OperationId);
    const dup = await failure(sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'other.internal', Vpc: 'vpc-0123456789abcdef0', CreatorRequestId: 'req-1' })));
    expect(dup.name).toBe('DuplicateRequest');
    expect((dup as { DuplicateOperationId?: string }).DuplicateOperationId).toBe(OperationId);
    const exists = await failure(sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'corp.internal', Vpc: 'vpc-0123456789abcdef0' })));
    expect(exists.name).toBe('NamespaceAlreadyExists');
    expect((exists as { NamespaceId?: string }).NamespaceId).toBe(id);
    expect((await sd.send(new ListTagsForResourceCommand({ ResourceARN: Namespace!.Arn }))).Tags).toEqual([{ Key: 'team', Value: 'a' }]);

    await sd.send(new UpdatePrivateDnsNamespaceCommand({ Id: id, Namespace: { Description: 'e', Properties: { DnsProperties: { SOA: { TTL: 30 } } } } }));
    expect((await sd.send(new GetNamespaceCommand({ Id: Namespace!.Arn }))).Namespace).toMatchObject({ Description: 'e', Properties: { DnsProperties: { SOA: { TTL: 30 } } } });

    const http = await namespaceOf((await sd.send(new CreateHttpNamespaceCommand({ Name: 'apis' }))).OperationId!);
    const all = await sd.send(new ListNamespacesCommand({}));
    expect(all.Namespaces!.map((n) => n.Name).sort()).toEqual(['apis', 'corp.internal']);
    const onlyHttp = await sd.send(new ListNamespacesCommand({ Filters: [{ Name: 'TYPE', Values: ['HTTP'], Condition: 'EQ' }] }));
    expect(onlyHttp.Namespaces!.map((n) => n.Id)).toEqual([http]);
    const byPrefix = await sd.send(new ListNamespacesCommand({ Filters: [{ Name: 'NAME', Values: ['corp'], Condition: 'BEGINS_WITH' }] }));
    expect(byPrefix.Namespaces!.map((n) => n.Id)).toEqual([id]);

    const del = await sd.send(new DeleteNamespaceCommand({ Id: id }));
    expect((await sd.send(new GetOperationCommand({ OperationId: del.OperationId }))).Operation).toMatchObject({ Type: 'DELETE_NAMESPACE', Status: 'SUCCESS' });
    expect((await failure(sd.send(new GetNamespaceCommand({ Id: id })))).name).toBe('NamespaceNotFound');
    expect((await failure(sd.send(new ListTagsForResourceCommand({ ResourceARN: Namespace!.Arn })))).name).toBe('ResourceNotFoundException');
    await sd.send(new DeleteNamespaceCommand({ Id: http }));
  });

  it('refuses public namespaces, a malformed VPC id and invalid names, and stores nothing', async () => {
    const before = await sd.send(new ListNamespacesCommand({}));
    const pub = await failure(sd.send(new CreatePublicDnsNamespaceCommand({ Name: 'example.com' })));
    expect(pub.name).toBe('InvalidInput');
    expect(pub.message).toMatch(/Public DNS namespaces are not supported/);
    expect((await failure(sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'a.internal', Vpc: 'vpc-xyz' })))).name).toBe('InvalidInput');
    expect((await failure(sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'bad_name.internal', Vpc: 'vpc-01234567' })))).name).toBe('InvalidInput');
    expect((await failure(sd.send(new GetNamespaceCommand({ Id: 'ns-doesnotexist0000' })))).name).toBe('NamespaceNotFound');
    expect((await failure(sd.send(new GetOperationCommand({ OperationId: 'nope' })))).name).toBe('OperationNotFound');
    expect((await sd.send(new ListNamespacesCommand({}))).Namespaces).toEqual(before.Namespaces);
  });
});

describe('services and instances', () => {
  let nsId: string;
  let serviceId: string;

  it('creates a DNS service, refuses HealthCheckConfig in a private namespace, and keeps the namespace in use', async () => {
    nsId = await privateNamespace('svc.internal');
    const refused = await failure(
      sd.send(new CreateServiceCommand({ Name: 'web', NamespaceId: nsId, HealthCheckConfig: { Type: 'HTTP', ResourcePath: '/' } })),
    );
    expect(refused.name).toBe('InvalidInput');
    expect((await failure(sd.send(new CreateServiceCommand({ Name: 'web', NamespaceId: 'ns-aaaaaaaaaaaaaaaa' })))).name).toBe('NamespaceNotFound');
    const badCombo = await failure(
      sd.send(new CreateServiceCommand({ Name: 'web', NamespaceId: nsId, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 5 }, { Type: 'CNAME', TTL: 5 }] } })),
    );
    expect(badCombo.name).toBe('InvalidInput');
    expect((await sd.send(new ListServicesCommand({}))).Services).toEqual([]);

    const { Service } = await sd.send(
      new CreateServiceCommand({
        Name: 'web',
        NamespaceId: nsId,
        DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 10 }, { Type: 'SRV', TTL: 20 }] },
        HealthCheckCustomConfig: { FailureThreshold: 1 },
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    serviceId = Service!.Id!;
    expect(Service).toMatchObject({
      Name: 'web',
      NamespaceId: nsId,
      Type: 'DNS_HTTP',
      InstanceCount: 0,
      DnsConfig: { NamespaceId: nsId, RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 10 }, { Type: 'SRV', TTL: 20 }] },
      HealthCheckCustomConfig: { FailureThreshold: 1 },
    });
    const clash = await failure(sd.send(new CreateServiceCommand({ Name: 'web', NamespaceId: nsId })));
    expect(clash.name).toBe('ServiceAlreadyExists');
    expect((clash as { ServiceId?: string }).ServiceId).toBe(serviceId);
    expect((await failure(sd.send(new DeleteNamespaceCommand({ Id: nsId })))).name).toBe('ResourceInUse');
    const listed = await sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [nsId], Condition: 'EQ' }] }));
    expect(listed.Services!.map((s) => s.Id)).toEqual([serviceId]);
    expect((await sd.send(new GetNamespaceCommand({ Id: nsId }))).Namespace!.ServiceCount).toBe(1);
  });

  it('registers instances with the addresses their records need, and discovers them by health and attributes', async () => {
    const missingPort = await failure(sd.send(new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: 'i-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })));
    expect(missingPort.name).toBe('InvalidInput');
    const badIp = await failure(sd.send(new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: 'i-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0', AWS_INSTANCE_PORT: '80' } })));
    expect(badIp.name).toBe('InvalidInput');
    expect((await sd.send(new ListInstancesCommand({ ServiceId: serviceId }))).Instances).toEqual([]);

    const first = await sd.send(
      new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: 'i-1', CreatorRequestId: 'r-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1', AWS_INSTANCE_PORT: '80', color: 'blue' } }),
    );
    const retry = await sd.send(
      new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: 'i-1', CreatorRequestId: 'r-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1', AWS_INSTANCE_PORT: '80', color: 'blue' } }),
    );
    expect(retry.OperationId).toBe(first.OperationId);
    expect((await sd.send(new GetOperationCommand({ OperationId: first.OperationId }))).Operation).toMatchObject({
      Type: 'REGISTER_INSTANCE',
      Status: 'SUCCESS',
      Targets: { SERVICE: serviceId, INSTANCE: 'i-1' },
    });
    await sd.send(
      new RegisterInstanceCommand({
        ServiceId: serviceId,
        InstanceId: 'i-2',
        Attributes: { AWS_INSTANCE_IPV4: '10.0.0.2', AWS_INSTANCE_PORT: '81', color: 'green', AWS_INIT_HEALTH_STATUS: 'UNHEALTHY' },
      }),
    );
    expect((await sd.send(new GetInstanceCommand({ ServiceId: serviceId, InstanceId: 'i-1' }))).Instance).toMatchObject({
      Id: 'i-1',
      CreatorRequestId: 'r-1',
      Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1', AWS_INSTANCE_PORT: '80', color: 'blue' },
    });
    expect((await sd.send(new ListInstancesCommand({ ServiceId: serviceId, MaxResults: 1 }))).NextToken).toBeDefined();

    const revision = (await sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: 'svc.internal', ServiceName: 'web' }))).InstancesRevision!;
    const healthy = await sd.send(new DiscoverInstancesCommand({ NamespaceName: 'svc.internal', ServiceName: 'web' }));
    expect(healthy.Instances!.map((i) => [i.InstanceId, i.HealthStatus, i.NamespaceName, i.ServiceName])).toEqual([['i-1', 'HEALTHY', 'svc.internal', 'web']]);
    expect(healthy.InstancesRevision).toBe(revision);
    const all = await sd.send(new DiscoverInstancesCommand({ NamespaceName: 'svc.internal', ServiceName: 'web', HealthStatus: 'ALL' }));
    expect(all.Instances!.map((i) => i.InstanceId)).toEqual(['i-1', 'i-2']);
    const green = await sd.send(new DiscoverInstancesCommand({ NamespaceName: 'svc.internal', ServiceName: 'web', HealthStatus: 'ALL', QueryParameters: { color: 'green' } }));
    expect(green.Instances!.map((i) => i.InstanceId)).toEqual(['i-2']);
    const preferRed = await sd.send(new DiscoverInstancesCommand({ NamespaceName: 'svc.internal', ServiceName: 'web', HealthStatus: 'ALL', OptionalParameters: { color: 'red' } }));
    expect(preferRed.Instances!.map((i) => i.InstanceId)).toEqual(['i-1', 'i-2']);
    const one = await sd.send(new DiscoverInstancesCommand({ NamespaceName: 'svc.internal', ServiceName: 'web', HealthStatus: 'ALL', MaxResults: 1 }));
    expect(one.Instances).toHaveLength(1);
    expect((await failure(sd.send(new DiscoverInstancesCommand({ NamespaceName: 'nope.internal', ServiceName: 'web' })))).name).toBe('NamespaceNotFound');
    expect((await failure(sd.send(new DiscoverInstancesCommand({ NamespaceName: 'svc.internal', ServiceName: 'nope' })))).name).toBe('ServiceNotFound');

    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: serviceId, InstanceId: 'i-2', Status: 'HEALTHY' }));
    const status = await sd.send(new GetInstancesHealthStatusCommand({ ServiceId: serviceId }));
    expect(status.Status).toEqual({ 'i-1': 'HEALTHY', 'i-2': 'HEALTHY' });
    expect((await sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: 'svc.internal', ServiceName: 'web' }))).InstancesRevision).toBeGreaterThan(revision);
    expect((await failure(sd.send(new GetInstancesHealthStatusCommand({ ServiceId: serviceId, Instances: ['i-9'] })))).name).toBe('InstanceNotFound');
    expect((await failure(sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: serviceId, InstanceId: 'i-9', Status: 'HEALTHY' })))).name).toBe('InstanceNotFound');
  });

  it('answers CustomHealthNotFound for a service without a custom health check, and returns every instance of it', async () => {
    const { Service } = await sd.send(new CreateServiceCommand({ Name: 'plain', NamespaceId: nsId, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 5 }] } }));
    await sd.send(new RegisterInstanceCommand({ ServiceId: Service!.Id, InstanceId: 'p-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.1.1' } }));
    const init = await failure(
      sd.send(new RegisterInstanceCommand({ ServiceId: Service!.Id, InstanceId: 'p-2', Attributes: { AWS_INSTANCE_IPV4: '10.0.1.2', AWS_INIT_HEALTH_STATUS: 'HEALTHY' } })),
    );
    expect(init.name).toBe('InvalidInput');
    const custom = await failure(sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: Service!.Id, InstanceId: 'p-1', Status: 'UNHEALTHY' })));
    expect(custom.name).toBe('CustomHealthNotFound');
    const found = await sd.send(new DiscoverInstancesCommand({ NamespaceName: 'svc.internal', ServiceName: 'plain', HealthStatus: 'UNHEALTHY' }));
    expect(found.Instances!.map((i) => i.InstanceId)).toEqual(['p-1']);
    await sd.send(new DeregisterInstanceCommand({ ServiceId: Service!.Id, InstanceId: 'p-1' }));
    expect((await failure(sd.send(new DeregisterInstanceCommand({ ServiceId: Service!.Id, InstanceId: 'p-1' })))).name).toBe('InstanceNotFound');
    await sd.send(new DeleteServiceCommand({ Id: Service!.Arn }));
  });

  it('updates TTLs, refuses changing record types, tags services, and lists operations by filter', async () => {
    const { OperationId } = await sd.send(new UpdateServiceCommand({ Id: serviceId, Service: { Description: 'web tier', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 30 }, { Type: 'SRV', TTL: 30 }] } } }));
    expect((await sd.send(new GetOperationCommand({ OperationId }))).Operation!.Type).toBe('UPDATE_SERVICE');
    const { Service } = await sd.send(new GetServiceCommand({ Id: serviceId }));
    expect(Service).toMatchObject({ Description: 'web tier', InstanceCount: 2, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 30 }, { Type: 'SRV', TTL: 30 }] } });
    expect((await failure(sd.send(new UpdateServiceCommand({ Id: serviceId, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 30 }] } } })))).name).toBe('InvalidInput');

    await sd.send(new TagResourceCommand({ ResourceARN: Service!.Arn, Tags: [{ Key: 'x', Value: '1' }] }));
    await sd.send(new UntagResourceCommand({ ResourceARN: Service!.Arn, TagKeys: ['k'] }));
    expect((await sd.send(new ListTagsForResourceCommand({ ResourceARN: Service!.Arn }))).Tags).toEqual([{ Key: 'x', Value: '1' }]);
    expect((await failure(sd.send(new TagResourceCommand({ ResourceARN: 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-nope', Tags: [] })))).name).toBe('ResourceNotFoundException');

    const registers = await sd.send(new ListOperationsCommand({ Filters: [{ Name: 'TYPE', Values: ['REGISTER_INSTANCE'], Condition: 'EQ' }, { Name: 'SERVICE_ID', Values: [serviceId], Condition: 'EQ' }] }));
    expect(registers.Operations!.length).toBe(2);
    expect(registers.Operations!.every((o) => o.Status === 'SUCCESS')).toBe(true);
    const now = Date.now() / 1000;
    const recent = await sd.send(new ListOperationsCommand({ Filters: [{ Name: 'UPDATE_DATE', Values: [String(now - 600), String(now + 60)], Condition: 'BETWEEN' }] }));
    expect(recent.Operations!.length).toBeGreaterThan(2);
    expect((await failure(sd.send(new ListOperationsCommand({ Filters: [{ Name: 'UPDATE_DATE', Values: ['1'], Condition: 'EQ' }] })))).name).toBe('InvalidInput');
  });

  it('refuses to delete a service with instances, then deregisters, deletes the service and the namespace', async () => {
    expect((await failure(sd.send(new DeleteServiceCommand({ Id: serviceId })))).name).toBe('ResourceInUse');
    for (const id of ['i-1', 'i-2']) await sd.send(new DeregisterInstanceCommand({ ServiceId: serviceId, InstanceId: id }));
    await sd.send(new DeleteServiceCommand({ Id: serviceId }));
    expect((await failure(sd.send(new GetServiceCommand({ Id: serviceId })))).name).toBe('ServiceNotFound');
    await sd.send(new DeleteNamespaceCommand({ Id: nsId }));
  });
});

describe('persistence', () => {
  it('keeps namespaces, services and instances across a restart of the store', async () => {
    const ns = await privateNamespace('keep.internal');
    const { Service } = await sd.send(new CreateServiceCommand({ Name: 'api', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 5 }] } }));
    await sd.send(new RegisterInstanceCommand({ ServiceId: Service!.Id, InstanceId: 'a-1', Attributes: { AWS_INSTANCE_IPV4: '10.1.0.1' } }));
    await fx.close({ keep: true });
    fx = await startDiscoveryFixture(fx.dataDir);
    sd = fx.client();
    const found = await sd.send(new DiscoverInstancesCommand({ NamespaceName: 'keep.internal', ServiceName: 'api' }));
    expect(found.Instances!.map((i) => [i.InstanceId, i.Attributes])).toEqual([['a-1', { AWS_INSTANCE_IPV4: '10.1.0.1' }]]);
    expect((await fx.discovery.dns.lookup('api.keep.internal', 'A')).kind).toBe('answer');
  });
});
