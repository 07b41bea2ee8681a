/**
 * Wires `--local-nodes`: the local node provider (simulated nodes in network namespaces) and the
 * provisioning loop that launches them for capacity providers with managed scaling, over the
 * shipped pricing catalog.
 */
import { arch } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { offeringsOf } from '../capacity/offerings.js';
import { Arch, type Offering } from '../capacity/types.js';
import { controlPlaneReads } from '../control/control-plane-reads.js';
import type { EcsControl } from '../control/ecs-control.js';
import { LocalNodeProvider } from '../nodes/local/local-node-provider.js';
import { ProvisioningLoop } from '../nodes/provisioning-loop.js';
import type { Store } from '../store/store.js';
import type { LocalNodesConfig } from './config.js';
import { loadCatalog } from './cost.js';

/** The `minato` executable the node agents run (same path from src/ and dist/). */
const MINATO_BIN = fileURLToPath(new URL('../../bin/minato.js', import.meta.url));

/** Running local nodes and their loop. */
export interface LocalNodes {
  provider: LocalNodeProvider;
  loop: ProvisioningLoop;
  /** Stops the loop, then every node, the relay and the bridge. */
  close(): Promise<void>;
}

/** What the wiring needs from the platform. */
export interface LocalNodesDeps {
  config: LocalNodesConfig;
  dataDir: string;
  token: string;
  target: () => { host: string; port: number };
  store: Store;
  ecs: EcsControl;
  logger: Logger;
  tickMs?: number;
}

/** Starts the node provider (adopting nodes of an earlier run) and the provisioning loop. */
export async function startLocalNodes(deps: LocalNodesDeps): Promise<LocalNodes> {
  const log = (message: string, fields: Record<string, unknown>) => deps.logger.info(fields, message);
  const provider = await LocalNodeProvider.start({
    stateDir: join(deps.dataDir, 'nodes'),
    bridge: deps.config.bridge,
    subnet: deps.config.subnet,
    taskSubnetPrefix: deps.config.taskSubnetPrefix,
    minatoBin: MINATO_BIN,
    token: deps.token,
    target: deps.target,
    arch: arch() === 'arm64' ? Arch.ARM64 : Arch.X86_64,
    maxNodes: deps.config.maxNodes,
    log,
  });
  const catalog = loadCatalog();
  const byRegion = new Map<string, Offering[]>();
  const loop = new ProvisioningLoop({
    control: controlPlaneReads(deps.store, deps.ecs),
    provider,
    offerings: (region) => {
      if (!byRegion.has(region)) {
        const book = catalog.regions.get(region);
        byRegion.set(region, book ? offeringsOf(book, catalog.types) : []);
      }
      return byRegion.get(region)!;
    },
    ...(deps.tickMs !== undefined && { tickMs: deps.tickMs }),
    onError: (err: unknown) => deps.logger.error({ err }, 'node provisioning failed'),
    log,
  });
  loop.start();
  return {
    provider,
    loop,
    async close() {
      await loop.stop();
      await provider.close();
    },
  };
}
