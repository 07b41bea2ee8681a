import { join } from 'node:path';
import type { Logger } from 'pino';
import type { LogSink, SecretResolver } from '../agent-contract/ports.js';
import { ImageStore } from '../agent/images/image-store.js';
import { LocalAgent } from '../agent/local-agent.js';
import { MetadataServer } from '../agent/metadata/metadata-server.js';
import { CniNetworkManager, DEFAULT_SANDBOX_POOL } from '../agent/network/cni-network-manager.js';
import { RuncRuntime } from '../agent/runtime/runc-runtime.js';
import type { TaskProtections } from '../control/tasks/task-protection.js';
import type { DnsServer } from '../dns/dns-server.js';
import type { SecurityTokens } from '../iam/sts/security-tokens.js';
import type { Registry } from '../registry/registry.js';
import { ownRegistryImages } from './own-registry-images.js';
import { taskProtectionPort } from './task-protection-port.js';
import { taskRoleCredentials, TaskEndpoints } from './task-credentials.js';

/** Tasks' resolver port on their gateway. */
export const TASK_DNS_PORT = 53;

export interface HostTasksDeps {
  dataDir: string;
  accountId: string;
  taskBridge?: string;
  taskSubnet?: string;
  metadataPort?: number;
  dns: DnsServer;
  registry: Registry;
  /** The front door's URL, once it listens (image pulls and tasks' AWS_ENDPOINT_URL wait for it). */
  endpointKnown: Promise<string>;
  logs: LogSink;
  secrets: SecretResolver;
  tokens: SecurityTokens;
  /** ECS's task protection, for the agent endpoint (called once the ECS control exists). */
  protections: () => TaskProtections;
  report: (arn: string, change: object) => Promise<void>;
  logger: Logger;
}

/** This host's task runtime: runc, the task network, the endpoints tasks call, and the agent running them. */
export interface HostTasks {
  runtime: RuncRuntime;
  networks: CniNetworkManager;
  metadata: MetadataServer;
  taskEndpoints: TaskEndpoints;
  agent: LocalAgent;
}

/** Composes the control host's own task runtime (the same machinery `minato agent` runs elsewhere). */
export function openHostTasks(d: HostTasksDeps): HostTasks {
  const runtime = new RuncRuntime(join(d.dataDir, 'runtime'));
  const networks = new CniNetworkManager({
    stateDir: join(d.dataDir, 'network'),
    bridge: d.taskBridge,
    subnet: d.taskSubnet,
    sandboxPool: DEFAULT_SANDBOX_POOL,
    gatewayDns: (gateway) => d.dns.ensureListening(gateway, TASK_DNS_PORT),
  });
  // Tasks reach the metadata endpoint's port on their gateway, and no other service of the host.
  // It is the credentials endpoint too (169.254.170.2:80 is redirected to its port), and its agent
  // endpoint sets task protection through the ECS domain.
  const metadata = new MetadataServer(d.metadataPort, (_gateway, port) => networks.serveCredentialsAt(port), taskProtectionPort(d.protections));
  // AWS_ENDPOINT_URL of the tasks: the front door, through a relay on the gateway when it listens on loopback.
  const taskEndpoints = new TaskEndpoints(
    async () => {
      const url = new URL(await d.endpointKnown);
      return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
    },
    (port) => networks.allowGatewayTcpPort(port),
    join(d.dataDir, 'task-endpoint-port'),
  );
  const agent = new LocalAgent({
    runtime,
    networks,
    images: ownRegistryImages(new ImageStore(join(d.dataDir, 'images')), d.registry, d.accountId, () => d.endpointKnown),
    logs: d.logs,
    metadata,
    secrets: d.secrets,
    credentials: taskRoleCredentials(d.tokens),
    taskEndpoint: (gateway) => taskEndpoints.urlFor(gateway),
    report: d.report,
    tasksDir: join(d.dataDir, 'tasks'),
    archiveDir: join(d.dataDir, 'archive'),
    log: d.logger,
  });
  return { runtime, networks, metadata, taskEndpoints, agent };
}
