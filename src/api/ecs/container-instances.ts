import type {
  DeregisterContainerInstanceRequest,
  DescribeContainerInstancesRequest,
  ListContainerInstancesRequest,
  RegisterContainerInstanceRequest,
  Resource,
  UpdateContainerInstancesStateRequest,
} from '@aws-sdk/client-ecs';
import type { AgentRegistration } from '../../agent-contract/registration.js';
import type { InstanceView } from '../../control/container-instances/container-instances.js';
import { parseIdentityDocument } from '../../control/container-instances/instance-identity.js';
import type { EcsControl } from '../../control/ecs-control.js';
import { given, refuseNotActedOn } from '../../control/not-acted-on.js';
import type { TagStore } from '../../control/tags.js';
import { invalidParameter } from '../../lib/errors.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize } from './paging.js';

/** Which optional parts of a container instance to show. */
type InstanceField = 'TAGS' | 'CONTAINER_INSTANCE_HEALTH';

/** ECS lists every resource with all three numeric members, the unused ones zero. */
const integer = (name: string, value: number) => ({ name, type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: value });
const stringSet = (name: string, values: readonly string[]) => ({
  name,
  type: 'STRINGSET',
  doubleValue: 0,
  longValue: 0,
  integerValue: 0,
  stringSetValue: [...values],
});
const portSet = (ports: readonly (string | number)[]) => [...new Set(ports.map(String))];

/** The wire ContainerInstance: registered and remaining resources as ECS lists them, times in epoch seconds. */
export async function instanceWire(view: InstanceView, tags: TagStore | undefined, include: ReadonlySet<InstanceField>) {
  const { record: r, usage: u } = view;
  const reserved = r.reservedPorts ?? [];
  const reservedUdp = r.reservedUdpPorts ?? [];
  const { agentVersion, agentHash, dockerVersion } = r.versionInfo;
  const now = r.lastSeenAt / 1000;
  return {
    containerInstanceArn: r.containerInstanceArn,
    ec2InstanceId: r.ec2InstanceId,
    ...(r.capacityProviderName !== undefined && { capacityProviderName: r.capacityProviderName }),
    version: r.version,
    versionInfo: {
      ...(agentVersion !== '' && { agentVersion }),
      ...(agentHash !== undefined && { agentHash }),
      ...(dockerVersion !== undefined && { dockerVersion }),
    },
    remainingResources: [
      integer('CPU', r.cpu - u.cpu),
      integer('MEMORY', r.memory - u.memory),
      stringSet('PORTS', portSet([...reserved, ...u.tcpPorts])),
      stringSet('PORTS_UDP', portSet([...reservedUdp, ...u.udpPorts])),
    ],
    registeredResources: [
      integer('CPU', r.cpu),
      integer('MEMORY', r.memory),
      stringSet('PORTS', reserved),
      stringSet('PORTS_UDP', reservedUdp),
    ],
    status: r.status,
    ...(r.statusReason !== undefined && { statusReason: r.statusReason }),
    agentConnected: r.agentConnected,
    runningTasksCount: u.running,
    pendingTasksCount: u.pending,
    attributes: r.attributes,
    registeredAt: r.registeredAt / 1000,
    attachments: [],
    ...(tags && include.has('TAGS') && { tags: await tags.get(r.containerInstanceArn) }),
    ...(include.has('CONTAINER_INSTANCE_HEALTH') && {
      healthStatus: {
        // The one check the platform has: whether the agent (and so its runtime) answers.
        overallStatus: r.agentConnected ? 'OK' : 'INSUFFICIENT_DATA',
        details: [{ type: 'CONTAINER_RUNTIME', status: r.agentConnected ? 'OK' : 'INSUFFICIENT_DATA', lastUpdated: now, lastStatusChange: now }],
      },
    }),
  };
}

/** The number in a Resource, whichever numeric member the caller used. */
function resourceNumber(resources: readonly Resource[], name: string): number {
  const r = resources.find((x) => x.name === name);
  const value = r?.integerValue ?? r?.longValue ?? r?.doubleValue;
  if (value === undefined) throw invalidParameter(`totalResources must include ${name}.`);
  return value;
}

/** RegisterContainerInstance's input as the domain's registration. */
function registrationOf(input: RegisterContainerInstanceRequest): AgentRegistration {
  // GPUs are not registered or handed to containers here: an instance that declares some is
  // refused, so the agent's operator learns it now rather than when GPU tasks never place.
  refuseNotActedOn([['platformDevices (GPU registration)', given(input.platformDevices)]]);
  const identity = parseIdentityDocument(input.instanceIdentityDocument);
  const resources = input.totalResources ?? [];
  const ports = resources.find((r) => r.name === 'PORTS')?.stringSetValue;
  const udp = resources.find((r) => r.name === 'PORTS_UDP')?.stringSetValue;
  const v = input.versionInfo ?? {};
  return {
    cluster: input.cluster ?? '',
    ...(input.containerInstanceArn !== undefined && { containerInstanceArn: input.containerInstanceArn }),
    ...(identity.instanceId !== undefined && { ec2InstanceId: identity.instanceId }),
    ...(identity.availabilityZone !== undefined && { availabilityZone: identity.availabilityZone }),
    ...(identity.instanceType !== undefined && { instanceType: identity.instanceType }),
    // Without a document the agent's address is unknown: the instance id stands for its host.
    host: identity.privateIp ?? '',
    agentVersion: v.agentVersion ?? '',
    ...(v.agentHash !== undefined && { agentHash: v.agentHash }),
    ...(v.dockerVersion !== undefined && { dockerVersion: v.dockerVersion }),
    attributes: input.attributes ?? [],
    cpu: resourceNumber(resources, 'CPU'),
    memory: resourceNumber(resources, 'MEMORY'),
    ...(ports !== undefined && { reservedPorts: ports }),
    ...(udp !== undefined && { reservedUdpPorts: udp }),
    ...(input.tags !== undefined && { tags: input.tags }),
  };
}

const WITH_TAGS: ReadonlySet<InstanceField> = new Set(['TAGS']);
const NO_PARTS: ReadonlySet<InstanceField> = new Set();

/** Handlers of the container instance operations. */
export function containerInstanceHandlers(ecs: EcsControl): Record<string, OperationHandler> {
  const { containerInstances: instances, tags } = ecs;
  return {
    async RegisterContainerInstance(input: RegisterContainerInstanceRequest, { scope }) {
      const record = await instances.registerAgent(scope, registrationOf(input));
      return { containerInstance: await instanceWire(await instances.viewOf(record), tags, WITH_TAGS) };
    },
    async DescribeContainerInstances(input: DescribeContainerInstancesRequest, { scope }) {
      const include = new Set((input.include ?? []) as InstanceField[]);
      const { found, failures } = await instances.describe(scope, input.cluster, input.containerInstances ?? []);
      return { containerInstances: await Promise.all(found.map((v) => instanceWire(v, tags, include))), failures };
    },
    async ListContainerInstances(input: ListContainerInstancesRequest, { scope }) {
      const page = await instances.list(scope, input.cluster, {
        ...(input.status !== undefined && { status: input.status }),
        ...(input.filter !== undefined && { filter: input.filter }),
        maxResults: pageSize('ListContainerInstances', input.maxResults),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
      });
      return { containerInstanceArns: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    async UpdateContainerInstancesState(input: UpdateContainerInstancesStateRequest, { scope }) {
      const { found, failures } = await instances.updateState(scope, input.cluster, input.containerInstances ?? [], input.status!);
      return { containerInstances: await Promise.all(found.map((v) => instanceWire(v, tags, NO_PARTS))), failures };
    },
    async DeregisterContainerInstance(input: DeregisterContainerInstanceRequest, { scope }) {
      const deregistered = await instances.deregister(scope, input.cluster, input.containerInstance!, input.force ?? false);
      return { containerInstance: await instanceWire(deregistered, tags, NO_PARTS) };
    },
  };
}
