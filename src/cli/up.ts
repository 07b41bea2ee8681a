import { resolve } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { configProblem, DEFAULT_CONFIG, extraRegionsConfig, fargateCpuOvercommitConfig, localNodesConfig, type PlatformConfig } from './config.js';
import { preparePrivateDataDir } from './data-dir.js';
import { DataDirLock } from './data-dir-lock.js';

/** A shutdown that takes longer than this is cut short (the containers run on regardless). */
const SHUTDOWN_DEADLINE_MS = 20_000;

/** Flag values as commander hands them over. */
interface UpFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  accountId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  taskBridge?: string;
  taskSubnet?: string;
  localNodes?: boolean;
  nodeBridge?: string;
  nodeSubnet?: string;
  maxLocalNodes?: string;
  extraRegions?: string;
  fargateCpuOvercommit?: string;
  lbSubnet?: string;
  store?: string;
  replica?: boolean;
  blobDir?: string;
}

/** Flags win over environment variables, which win over the defaults. */
export function resolveConfig(flags: UpFlags, env: NodeJS.ProcessEnv): PlatformConfig {
  const localNodes = localNodesConfig(flags, env);
  const extraRegions = extraRegionsConfig(flags.extraRegions, env);
  const fargateCpuOvercommit = fargateCpuOvercommitConfig(flags.fargateCpuOvercommit, env);
  // An empty MINATO_STORE means the default, as an unset one does.
  const store = flags.store ?? (env.MINATO_STORE || undefined);
  const replica = flags.replica === true || env.MINATO_REPLICA === '1' || env.MINATO_REPLICA === 'true';
  const blobDir = flags.blobDir ?? (env.MINATO_BLOB_DIR || undefined);
  return {
    ...(store !== undefined && { store }),
    ...(replica && { replica }),
    ...(blobDir !== undefined && { blobDir }),
    ...(localNodes && { localNodes }),
    ...(extraRegions && { extraRegions }),
    ...(fargateCpuOvercommit !== undefined && { fargateCpuOvercommit }),
    ...((flags.lbSubnet ?? env.MINATO_LB_SUBNET) !== undefined && { lbSubnet: flags.lbSubnet ?? env.MINATO_LB_SUBNET }),
    host: flags.host ?? env.MINATO_HOST ?? DEFAULT_CONFIG.host,
    port: Number(flags.port ?? env.MINATO_PORT ?? DEFAULT_CONFIG.port),
    dataDir: flags.dataDir ?? env.MINATO_DATA_DIR ?? DEFAULT_CONFIG.dataDir,
    accountId: flags.accountId ?? env.MINATO_ACCOUNT_ID ?? DEFAULT_CONFIG.accountId,
    accessKeyId: flags.accessKeyId ?? env.MINATO_ACCESS_KEY_ID ?? DEFAULT_CONFIG.accessKeyId,
    secretAccessKey: flags.secretAccessKey ?? env.MINATO_SECRET_ACCESS_KEY ?? DEFAULT_CONFIG.secretAccessKey,
    taskBridge: flags.taskBridge ?? env.MINATO_TASK_BRIDGE ?? DEFAULT_CONFIG.taskBridge,
    taskSubnet: flags.taskSubnet ?? env.MINATO_TASK_SUBNET ?? DEFAULT_CONFIG.taskSubnet,
  };
}

/** `minato up`: runs the platform in the foreground until SIGTERM or SIGINT. */
export function registerUp(program: Command): void {
  program
    .command('up')
    .description('start the platform in the foreground')
    .option('--host <address>', 'address to listen on (env MINATO_HOST)', undefined)
    .option('--port <port>', 'port to listen on (env MINATO_PORT)')
    .option('--data-dir <dir>', 'where state is kept (env MINATO_DATA_DIR)')
    .option('--store <url>', 'keep the document store on PostgreSQL, postgres://user[:password]@host:port/database (env MINATO_STORE; default: SQLite in the data dir)')
    .option('--replica', 'one of several processes sharing --store: background work runs on the leader only, tasks run on agents only (env MINATO_REPLICA=1)')
    .option('--blob-dir <dir>', 'absolute path of a directory every replica mounts (e.g. NFS): registry blobs and the keys replicas share (env MINATO_BLOB_DIR; default: the data dir)')
    .option('--account-id <id>', '12-digit account id (env MINATO_ACCOUNT_ID)')
    .option('--access-key-id <id>', 'access key id callers sign with (env MINATO_ACCESS_KEY_ID)')
    .option('--secret-access-key <secret>', 'secret access key (env MINATO_SECRET_ACCESS_KEY)')
    .option('--task-bridge <name>', 'Linux bridge tasks attach to (env MINATO_TASK_BRIDGE)')
    .option('--task-subnet <cidr>', 'subnet task addresses come from (env MINATO_TASK_SUBNET)')
    .option('--lb-subnet <cidr>', 'IPv4 block each load balancer gets its own address from (env MINATO_LB_SUBNET, default 127.77.0.0/16)')
    .option('--extra-regions <names>', 'comma-separated region names to serve besides AWS\'s (env MINATO_EXTRA_REGIONS)')
    .option('--fargate-cpu-overcommit <factor>', 'how many times its CPUs this host admits in Fargate tasks; memory is never overcommitted (env MINATO_FARGATE_CPU_OVERCOMMIT, default 8)')
    .option('--local-nodes', 'start simulated nodes for capacity providers with managed scaling (env MINATO_LOCAL_NODES=1)')
    .option('--node-bridge <name>', 'Linux bridge of the local nodes (env MINATO_NODE_BRIDGE)')
    .option('--node-subnet <cidr>', '/24 the local nodes get addresses from (env MINATO_NODE_SUBNET)')
    .option('--max-local-nodes <n>', 'local nodes at most (env MINATO_MAX_LOCAL_NODES)')
    .action(async (flags: UpFlags) => {
      const config = resolveConfig(flags, process.env);
      const problem = configProblem(config);
      if (problem) throw new Error(problem);
      const logger = pino({ base: { service: 'minato' }, redact: ['secretAccessKey', '*.secretAccessKey'] });
      // Signals are caught from the start, so that one arriving during start-up (or right after
      // the ready line) still shuts down cleanly instead of killing the process mid-write.
      const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      // One owner per data dir, settled before anything in it is read or written (master key,
      // store, network state): a second `minato up` would start every task twice.
      const dataDir = resolve(config.dataDir);
      preparePrivateDataDir(dataDir, (details, message) => logger.warn(details, message));
      const lock = DataDirLock.acquire(dataDir, 'up');
      try {
        // Loaded here, not at the top: other commands (a `minato agent`) need none of the control plane.
        const { startPlatform } = await import('./platform.js');
        const platform = await startPlatform(config, logger);
        lock.announce(platform.endpoint);
        logger.info({ endpoint: platform.endpoint, dataDir: config.dataDir, accountId: config.accountId }, `minato ready at ${platform.endpoint}`);
        const signal = await stopRequested;
        logger.info({ signal }, 'shutting down');
        const deadline = setTimeout(() => {
          logger.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting');
          logger.flush();
          process.exit(1);
        }, SHUTDOWN_DEADLINE_MS);
        deadline.unref();
        await platform.close();
        clearTimeout(deadline);
        logger.info('stopped');
      } finally {
        lock.release();
        logger.flush();
      }
    });
}
