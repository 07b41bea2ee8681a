import type { Logger } from 'pino';
import type { RemoteAgents } from '../agent-gateway/remote-agents.js';
import type { TaskAgent } from '../agent-contract/task-contract.js';
import { PostgresNotices } from '../store/postgres-notify.js';
import type { PlatformConfig } from './config.js';
import { openLease, type Lease, type LeaseOptions } from './leadership.js';

/** Notices between processes sharing the store: a container instance's tasks changed (payload: its ARN). */
const AGENT_CHANGES = 'minato_agent_changes';
/** A service changed, or one of its tasks did: the leader's scheduler looks at once. */
const SERVICE_CHANGES = 'minato_service_changes';

/** What ties the processes sharing a PostgreSQL store together: the leader lease and change notices. */
export interface Replication {
  /** The leader lease; undefined on the embedded store (its one process always leads). */
  lease: Lease | undefined;
  /** Wakes agents' polls held by other processes, and their service schedulers, on this process's changes. */
  connect(parts: { agents: RemoteAgents; nudgeServices: () => void }): void;
  /** Tells the other processes that services changed. */
  servicesChanged(): void;
  close(): Promise<void>;
}

/** Opens the lease and the notices when the store is on PostgreSQL; both are absent on the embedded store. */
export async function openReplication(config: Pick<PlatformConfig, 'store' | 'replica'>, logger: Logger, options: LeaseOptions = {}): Promise<Replication> {
  const lease = await openLease(config, logger, options);
  if (config.store === undefined) return { lease, connect: () => undefined, servicesChanged: () => undefined, close: async () => undefined };
  let onNotice: (channel: string, payload: string) => void = () => undefined;
  let notices: PostgresNotices;
  try {
    notices = await PostgresNotices.start({
      connectionString: config.store,
      channels: [AGENT_CHANGES, SERVICE_CHANGES],
      onNotice: (channel, payload) => onNotice(channel, payload),
      onError: (err) => logger.warn({ code: (err as { code?: string }).code, message: err.message }, 'change notices between processes failed'),
    });
  } catch (err) {
    await lease?.stop();
    throw err;
  }
  return {
    lease,
    connect({ agents, nudgeServices }) {
      agents.onWake = (arn) => void notices.notify(AGENT_CHANGES, arn);
      onNotice = (channel, payload) => (channel === AGENT_CHANGES ? agents.wakeHere(payload) : nudgeServices());
    },
    servicesChanged: () => void notices.notify(SERVICE_CHANGES),
    async close() {
      await notices.close();
      await lease?.stop();
    },
  };
}

/**
 * The control host's agent in a replica: it runs no task (it offers no capacity, so placement never
 * chooses it), since tasks must outlive any one replica: they run on `minato agent` hosts.
 */
export const NO_HOST_TASKS: TaskAgent = {
  launch(spec) {
    throw new Error(`a replica runs no task itself (task ${spec.taskArn})`);
  },
  stop: () => undefined,
  capacity: () => ({ cpu: 0, memory: 0 }),
};
