/**
 * What the task runner needs of the host: the container runtime, task networks, the image store
 * and the metadata endpoint — as the subsets of their interfaces the runner uses, so that it is
 * unit-tested over fakes and composed with the real implementations in cli/. The ports the
 * control plane implements too (log sink, secret resolver) are in agent-contract/ports.ts.
 */

import type { RoleCredentials } from '../../agent-contract/ports.js';
import type { NetworkManager, TaskNetwork } from '../network/network-manager.js';
import type { ContainerExit, ContainerRuntime, ContainerSpec, ContainerStats } from '../runtime/runtime.js';

/** The start parameters of one container (runtime/runtime.ts documents each field). */
export type RuntimeContainerSpec = ContainerSpec;

/** How a container ended. */
export type RuntimeExit = ContainerExit;

/** A container's cgroup statistics. */
export type RuntimeStats = ContainerStats;

/** The container runtime operations the runner uses. */
export type RunnerRuntime = Pick<
  ContainerRuntime,
  'start' | 'kill' | 'wait' | 'status' | 'exec' | 'stats' | 'remove' | 'list' | 'setTaskLimits' | 'removeTaskCgroup'
>;

/** A task's network, as the network layer hands it over. */
export type RunnerNetwork = TaskNetwork;

/** The network layer operations the runner uses. */
export type RunnerNetworks = Pick<NetworkManager, 'setup' | 'teardown' | 'list' | 'setFirewall'>;

/** A pulled image: its digest, config defaults and unpacked layers. */
export interface RunnerImage {
  manifestDigest: string;
  config: {
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    User?: string;
    StopSignal?: string;
  };
  layerDirs: string[];
}

/** The image store subset the runner uses. */
export interface RunnerImages {
  pull(image: string, options?: { auth?: { username: string; password: string }; region?: string }): Promise<RunnerImage>;
}

/** What the metadata endpoint serves for one container: ECS's v4 JSON documents. */
export interface MetadataProvider {
  /** The task the container belongs to (the agent endpoint acts for it). */
  taskArn: string;
  container(): unknown;
  task(): unknown;
  containerStats(): Promise<unknown>;
  taskStats(): Promise<unknown>;
}

/** What the credentials endpoint serves for one task: its role's credentials, to its own address only. */
export interface CredentialsProvider {
  /** The task's own address; requests from any other are refused (undefined: not checked). */
  sourceAddress: string | undefined;
  /** The role's current credentials, refreshed before they expire. */
  credentials(): Promise<RoleCredentials>;
}

/**
 * The task metadata endpoint: containers are registered under a token and found by it; tasks'
 * role credentials under an id (`/v2/credentials/<id>`, reached at 169.254.170.2 from the task).
 */
export interface MetadataEndpoint {
  /**
   * Serves `provider` and returns the base URI (ECS_CONTAINER_METADATA_URI_V4), reachable from a
   * task on `gateway`; the agent endpoint (ECS_AGENT_URI) is the same with `/api/` for `/v4/`.
   */
  register(gateway: string, token: string, provider: MetadataProvider): Promise<string>;
  unregister(token: string): void;
  /** Serves a task's role credentials under `id`; resolves once they can be asked for from a task on `gateway`. */
  registerCredentials(gateway: string, id: string, provider: CredentialsProvider): Promise<void>;
  unregisterCredentials(id: string): void;
}
