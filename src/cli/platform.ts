import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { LogSink } from '../agent-contract/ports.js';
import { createApplicationAutoScaling } from '../autoscaling/application-autoscaling.js';
import { ValueCipher } from '../secrets/crypto/value-cipher.js';
import { secretsManagerErrorName } from '../api/secretsmanager/errors.js';
import { createIamDomain } from '../iam/iam-domain.js';
import { AGENT_TOKEN_FILE, INSTANCE_KEY_FILE, loadOrCreateAgentToken } from '../agent-gateway/join-token.js';
import { sharedKeysDir } from '../lib/key-file.js';
import { RemoteAgents } from '../agent-gateway/remote-agents.js';
import { createEcsControl } from '../control/ecs-control.js';
import { createDiscovery } from '../discovery/discovery.js';
import { DnsServer } from '../dns/dns-server.js';
import { resolvConfUpstreams } from '../dns/resolv-conf.js';
import { compileFilter } from '../placement/query-language.js';
import { ServiceLoop } from '../control/services/service-loop.js';
import { rootPrincipal } from '../lib/scope.js';
import type { TaskStateChange } from '../agent-contract/task-contract.js';
import { loadOrCreateMasterKey } from '../secrets/crypto/master-key.js';
import { resolveSecretReference } from '../secrets/references/resolve.js';
import { createSecretsDomain } from '../secrets/secrets-domain.js';
import { consoleRoutes } from '../server/console-route.js';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from '../server/http-server.js';
import { LogService } from '../logstore/log-service.js';
import { AlarmService } from '../metrics/alarms/alarm-service.js';
import { basicAuth } from '../registry/auth/registry-auth.js';
import { registryRoutes } from '../registry/http/routes.js';
import { Registry } from '../registry/registry.js';
import { isLoopback, replicaProblem, usesDefaultCredentials, type PlatformConfig } from './config.js';
import { openLogStore, openMetrics, openStore } from './open-store.js';
import { openLoadBalancing } from './load-balancing.js';
import { serveAgents } from './agent-protocol.js';
import { serviceRegistriesOver } from './service-registries.js';
import { targetGroupsOver } from './target-groups.js';
import { startLocalNodes, type LocalNodes } from './local-nodes.js';
import { ecsServiceTarget } from './autoscaling.js';
import { alarmsForScaling, runScalingPolicies } from './scaling-alarms.js';
import { notifyTopics } from './sns-alarms.js';
import { Sns } from '../sns/sns.js';
import { Deliverer } from '../sns/deliverer.js';
import { loadOrCreateSigningKey } from '../sns/signing-key.js';
import { Ec2Network } from '../vpc/network.js';
import { vpcLookupOver } from './vpc-lookup.js';
import { TaskFirewalls } from './task-firewalls.js';
import { SNS_UNSIGNED_GETS, snsCertificateRoute } from '../api/sns/routes.js';
import { agentUsage } from './agent-usage.js';
import { startEcsMetrics } from './ecs-metrics.js';
import { platformApis } from './platform-apis.js';
import { openHostTasks, TASK_DNS_PORT } from './host-tasks.js';
import { taskRoleCredentials } from './task-credentials.js';
import { logMetricSink } from './log-metric-sink.js';
import { rotationTasks } from './secret-rotation.js';
import { loadBalancerMetricSink } from './lb-metric-sink.js';
import { Leadership, periodicWork, stoppableWork, type LeaderWork } from './leadership.js';
import { NO_HOST_TASKS, openReplication } from './replication.js';
import type { Platform, PlatformOptions } from './platform-options.js';

export type { Platform, PlatformOptions } from './platform-options.js';

/** The composition root: store, control plane, agent, APIs and the front door, listening. */
export async function startPlatform(config: PlatformConfig, logger: Logger, options: PlatformOptions = {}): Promise<Platform> {
  const dataDir = resolve(config.dataDir);
  // `minato up` checks the whole configuration; a replica's shape matters to an embedding program too.
  const replica = replicaProblem(config);
  if (replica) throw new Error(replica);
  // The master key first: a refused key file (wrong mode or owner) leaves nothing open.
  // With a blob dir, the keys every replica must agree on are kept (or published) there.
  const blobDir = config.blobDir === undefined ? undefined : resolve(config.blobDir);
  const sharedKeys = blobDir === undefined ? undefined : sharedKeysDir(blobDir);
  const masterKey = loadOrCreateMasterKey(dataDir, sharedKeys);
  const agentToken = loadOrCreateAgentToken(dataDir, AGENT_TOKEN_FILE, sharedKeys);
  const instanceKey = loadOrCreateAgentToken(dataDir, INSTANCE_KEY_FILE, sharedKeys);
  const snsKey = loadOrCreateSigningKey(dataDir, sharedKeys);
  const store = await openStore(config, dataDir, logger);
  // On PostgreSQL: the leader lease (a single process waits to lead before it takes its tasks
  // back) and the change notices between the processes sharing the store.
  const replication = await openReplication(config, logger, options.lease).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  // Rotation functions are ECS tasks (cli/secret-rotation.ts); ECS is wired below, before any rotation runs.
  const secrets = createSecretsDomain(store, masterKey, {
    functions: rotationTasks(() => ecs),
    ...(options.rotationTickMs !== undefined && { tickMs: options.rotationTickMs }),
    ...(options.rotationRetryDelayMs !== undefined && { retryDelayMs: options.rotationRetryDelayMs }),
    onError: (err: unknown) => logger.error({ err }, 'secret rotation tick failed'),
    onFailure: (failure) => logger.warn(failure, 'secret rotation failed'),
  });
  const discovery = createDiscovery(store);
  // Tasks' resolver (the VPC resolver of AWS): private DNS namespaces answered, the rest forwarded.
  const dns = new DnsServer({
    lookup: (name, type) => discovery.dns.lookup(name, type),
    upstreams: options.dnsUpstreams ?? resolvConfUpstreams(),
    onError: (err: unknown) => logger.warn({ err }, 'task DNS server'),
  });
  // IAM's access keys and ACM's private keys are sealed under the same master key as secret values.
  const cipher = new ValueCipher(masterKey);
  const iam = createIamDomain(store, cipher);
  const { certificates, elb, sourceToward, close: closeLoadBalancing, publishMetrics: publishLoadBalancerMetrics } = await openLoadBalancing(store, cipher, dataDir, config, logger);
  // CloudWatch metrics and alarms keep their own database (or tables), as logs do.
  const { metrics, alarmStore } = await openMetrics(config, dataDir, logger);
  // AWS/ApplicationELB and AWS/NetworkELB from the data plane's counters, once a minute as ELB.
  publishLoadBalancerMetrics(loadBalancerMetricSink(metrics, logger), options.loadBalancerMetricsIntervalMs ?? 60_000);
  const logService = new LogService(await openLogStore(config, dataDir, logger), logMetricSink(metrics, logger));
  // The awslogs driver: container lines go to CloudWatch Logs under ECS's group/stream names.
  const logs: LogSink = async (target, events) => {
    await logService.appendEvents(
      { accountId: config.accountId, region: target.region, principalArn: rootPrincipal(config.accountId), now: new Date() },
      target.group,
      target.stream,
      events,
      { createGroup: target.createGroup },
    );
  };
  // Alarms live beside the metrics and are evaluated by the leader (see leaderWork).
  const alarms = new AlarmService(metrics, { store: alarmStore });
  let report: (arn: string, change: object) => Promise<void> = async () => {};
  const registry = await Registry.open({
    dataDir,
    ...(blobDir !== undefined && { blobDir }),
    store,
    accountId: config.accountId,
    logger,
    // Pull-through cache rules name their upstream credentials by Secrets Manager ARN.
    resolveSecret: async (arn) => {
      const scope = { accountId: config.accountId, region: arn.split(':')[3] ?? 'us-east-1', principalArn: rootPrincipal(config.accountId), now: new Date() };
      const view = await secrets.secrets.getValue(scope, arn);
      if (view.value.kind !== 'string') throw new Error(`secret ${arn} holds binary data`);
      return view.value.text;
    },
  });
  // Containers' `secrets`, for tasks here and on agents, resolved as the account's root.
  const resolveSecret = (valueFrom: string, region: string) =>
    resolveSecretReference({ secrets: secrets.secrets, parameters: secrets.parameters, secretsErrorName: secretsManagerErrorName }, valueFrom, {
      accountId: config.accountId,
      region,
      principalArn: rootPrincipal(config.accountId),
      now: new Date(),
    });
  // The ECR API and the agent's own pulls name the endpoint only once it listens.
  let endpoint = '';
  let listening!: (url: string) => void;
  const endpointKnown = new Promise<string>((resolve) => (listening = resolve));
  const { runtime, networks, metadata, taskEndpoints, agent } = openHostTasks({
    dataDir,
    accountId: config.accountId,
    taskBridge: config.taskBridge,
    taskSubnet: config.taskSubnet,
    metadataPort: options.metadataPort,
    dns,
    registry,
    endpointKnown,
    logs,
    secrets: resolveSecret,
    tokens: iam.tokens,
    protections: () => ecs.taskProtection,
    report: (arn, change) => report(arn, change),
    logger,
  });
  // Tasks placed on a container instance go to its agent; the rest run on this host (none on a replica).
  const agents = new RemoteAgents(config.replica ? NO_HOST_TASKS : agent);
  // Services put their tasks in ELB target groups and Cloud Map services.
  const traffic = { targetGroups: targetGroupsOver(elb.forServices), serviceRegistries: serviceRegistriesOver(discovery) };
  const ec2Network = new Ec2Network(store);
  // The security groups of awsvpc tasks, enforced in their namespaces: this host's here, the
  // container instances' by their agents (the protocol carries their firewalls).
  const firewalls = new TaskFirewalls({
    store,
    ec2: ec2Network,
    networks,
    onError: (err: unknown) => logger.warn({ err }, 'applying the tasks\' security groups failed'),
    loadBalancerSource: sourceToward,
  });
  const ecs = createEcsControl(store, agents, {
    compileFilter,
    traffic,
    vpc: vpcLookupOver(ec2Network),
    firewalls,
    ...(config.fargateCpuOvercommit !== undefined && { fargateCpuOvercommit: config.fargateCpuOvercommit }),
  });
  const services = new ServiceLoop({
    store,
    tasks: ecs.tasks,
    services: ecs.services,
    tags: ecs.tags,
    traffic,
    listInstances: async (clusterArn) =>
      (await ecs.containerInstances.snapshot(clusterArn)).map((snapshot) => ({ containerInstanceArn: snapshot.containerInstanceArn, status: snapshot.status, agentConnected: snapshot.agentConnected, snapshot })),
    ...(options.serviceTickMs !== undefined && { tickMs: options.serviceTickMs }),
    onError: (err: unknown) => logger.error({ err }, 'service scheduler tick failed'),
  });
  ecs.services.onChange = () => {
    services.nudge();
    replication.servicesChanged();
  };
  replication.connect({ agents, nudgeServices: () => services.nudge() });
  const autoscaling = createApplicationAutoScaling(
    store,
    { alarms: options.alarms ?? alarmsForScaling(alarms), ecs: ecsServiceTarget(ecs.services) },
    options.autoscalingTickMs !== undefined ? { tickMs: options.autoscalingTickMs } : {},
  );
  // Alarms whose actions name a scaling policy run it (target tracking's pair, step policies' alarms).
  runScalingPolicies(alarms, autoscaling);
  // SNS: messages are signed with the platform's own key; pending deliveries resume after a restart.
  const snsDeliverer = new Deliverer(store, {
    ...(options.snsDelayUnitMs !== undefined && { delayUnitMs: options.snsDelayUnitMs }),
    onError: (err: unknown) => logger.error({ err }, 'SNS delivery failed'),
  });
  const sns = new Sns({ store, key: snsKey, deliverer: snsDeliverer, endpoint: () => endpoint });
  // Alarms whose actions name a topic publish CloudWatch's notification to it.
  notifyTopics(alarms, sns);
  report = async (arn, reported) => {
    const change = reported as TaskStateChange;
    await ecs.tasks.applyReport(arn, change);
    // A task's address (or its end) changes who its security groups' members are.
    if (change.attachments !== undefined || change.lastStatus === 'STOPPED') firewalls.nudge();
    // A task that stopped or changed health may need a replacement or move a rollout on.
    if (change.lastStatus === 'STOPPED' || change.lastStatus === 'RUNNING' || change.healthStatus !== undefined) ecs.services.onChange?.();
  };

  // Tasks unfinished when the platform stopped: adopt what runs, start what was acknowledged but
  // not started, carry on the stops that were asked for — before the front door listens, so that
  // no request meets a task not yet taken back (their image pulls wait for the endpoint). Tasks
  // of container instances are their agents' to take back.
  if (!config.replica) await agent.adopt(await ecs.tasks.recoveries(config.accountId, new Date()));
  firewalls.start();
  // Tasks still running from before use the gateway's DNS server: listen again at once.
  if ((await networks.list()).length > 0) await dns.ensureListening(networks.gateway, TASK_DNS_PORT);
  // Drains that ended while down are finished, and the load balancers applied, before requests come.
  await elb.start();
  // Once tasks are taken back: sandboxes a crash left in the pool belong to no task then.
  if (!config.replica) {
    void networks.startPool((err) => logger.warn({ err }, 'the task network sandbox pool could not be filled')).catch((err: unknown) =>
      logger.warn({ err }, 'the task network sandbox pool did not start'),
    );
  }

  // Container Insights' performance events, and the AWS/ECS and ECS/ContainerInsights metrics,
  // from this host's readings (the agents report theirs: `usage` below).
  const stopInsights = startEcsMetrics({
    tasks: () => agent.tasks(),
    runtime,
    ecs,
    store,
    logs,
    metrics,
    accountId: config.accountId,
    logger,
    intervalMs: options.insightsIntervalMs ?? 60_000,
  });

  const credentials = new Map([[config.accessKeyId, config.secretAccessKey]]);
  // The agent protocol: agents join the clusters as container instances.
  const cluster = serveAgents({
    token: agentToken,
    instanceKey,
    accountId: config.accountId,
    instances: options.instances ?? ecs.containerInstances,
    agents,
    ecs,
    report: (arn, change) => report(arn, change),
    secrets: resolveSecret,
    credentials: taskRoleCredentials(iam.tokens),
    logs,
    usage: agentUsage(ecs, metrics, config.accountId, logger),
    registry,
    firewalls,
    logger,
    ...(options.agentDisconnectTimeoutMs !== undefined && { disconnectTimeoutMs: options.agentDisconnectTimeoutMs }),
  });
  const app = buildFrontDoor({
    accountId: config.accountId,
    credentials,
    // IAM users' access keys and temporary credentials (STS), besides the configured root keys.
    lookupKey: (accessKeyId, sessionToken, now) => iam.tokens.authenticate(config.accountId, accessKeyId, sessionToken, now),
    // Tasks come through the relay as if from loopback; the default keys stay loopback-only.
    ...(usesDefaultCredentials(config) && { refusesRootKeys: (peer: { address: string; port: number }) => taskEndpoints.relayed(peer) }),
    ...(config.extraRegions && { extraRegions: config.extraRegions }),
    // Every API's requests made with a role session's credentials are authorised by the role's policies.
    services: platformApis({ ecs, iam, secrets, logs: logService, metrics, alarms, autoscaling, discovery, elb, certificates, registry, sns, ec2: ec2Network, endpoint: () => endpoint }),
    routes: [registryRoutes(registry, basicAuth({ tokens: registry.tokens, accountId: config.accountId, credentials }), logger), cluster.routes, snsCertificateRoute(sns), consoleRoutes()],
    unsignedGets: SNS_UNSIGNED_GETS,
    logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
  });
  // The background work that acts on the shared state, in the order it starts (after the front door
  // listens, so that what it starts can reach the endpoint): on one leader at a time.
  const leaderWork: LeaderWork[] = [
    { name: 'service scheduler', start: () => services.start(), stop: () => services.stop() },
    // Rotations recorded before a restart carry on from their recorded step; due schedules start.
    { name: 'secret rotations', start: () => secrets.rotations.start(), stop: () => secrets.rotations.stop() },
    // Scheduled actions that fell due while no leader ran run once, on the first tick.
    { name: 'scheduled scaling', start: () => autoscaling.start((err: unknown) => logger.error({ err }, 'scheduled scaling tick failed')), stop: () => autoscaling.stop() },
    // Stopped tasks are forgotten an hour after they stopped, as ECS forgets them.
    periodicWork('stopped task expiry', 60_000, () => ecs.tasks.expireStopped(new Date()), logger),
    stoppableWork('agent disconnect sweeper', () => cluster.startSweeper()),
    stoppableWork('log retention', () => logService.startRetentionSweeper(60_000, { onError: (err: unknown) => logger.error({ err }, 'log retention sweep failed') })),
    stoppableWork('registry maintenance', () => registry.startMaintenance(10 * 60_000, (err: unknown) => logger.error({ err }, 'registry maintenance failed'))),
    // Image scans acknowledged before a restart, and continuous scanning: `minato advisories import`
    // runs as another process, so the advisories' revision is checked every few seconds.
    stoppableWork('image scans', () => registry.scans.startBackground(5_000)),
    // CloudWatch's schedule (10 s / 1 min): once among the processes sharing the alarms.
    stoppableWork('alarm evaluation', () => alarms.start((err: unknown) => logger.error({ err }, 'alarm evaluation failed'), options.alarmTickMs !== undefined ? { tickMs: options.alarmTickMs } : {})),
    // Metric data past 455 days is expired hourly.
    stoppableWork('metric expiry', () => metrics.startExpiry(3600_000, (err: unknown) => logger.error({ err }, 'metric expiry failed'))),
  ];
  const leadership = new Leadership(replication.lease, leaderWork, logger);
  // What is running before the front door listens: stopped on a failed listen and on close.
  const stopLoops = async () => {
    await leadership.stop();
    await firewalls.stop();
    await stopInsights();
    // Held agent polls answer now, so that closing the front door does not wait for them.
    agents.close();
  };
  const release = async () => {
    await closeLoadBalancing();
    registry.close();
    await metadata.close();
    await taskEndpoints.close();
    await dns.close();
    await networks.closePool();
    // Releases waiters on container exits; the containers themselves keep running.
    runtime.close();
    await logService.close();
    await snsDeliverer.stop();
    await metrics.close();
    await replication.close();
    await store.close();
  };
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await stopLoops();
    await release();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  endpoint = `http://${host}:${port}`;
  listening(endpoint);
  // Deliveries name the endpoint (SubscribeURL, SigningCertURL), so they resume once it is known.
  await snsDeliverer.start();
  // Tasks may call the AWS APIs at the endpoint when it listens where they can route to.
  if (!isLoopback(config.host)) await networks.allowHostTcpPort(port);
  // Tasks taken back from before a restart find the endpoint where their AWS_ENDPOINT_URL says.
  if ((await networks.list()).length > 0) await taskEndpoints.urlFor(networks.gateway).catch((err: unknown) => logger.warn({ err }, 'the tasks\' endpoint relay did not start'));
  let nodes: LocalNodes | undefined;
  if (config.localNodes) {
    const loopback = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    nodes = await startLocalNodes({ config: config.localNodes, dataDir, token: agentToken, target: () => ({ host: loopback, port }), store, ecs, logger });
  }
  await leadership.start();
  return {
    endpoint,
    async close() {
      // Nodes first: their agents say goodbye to a control plane that still listens.
      await nodes?.close();
      await stopLoops();
      await app.close();
      await release();
    },
    async stopAllTasks() {
      // The service scheduler would replace the tasks it sees stop; a rotation would start its next step.
      await leadership.stop();
      await agent.stopAll({ stopCode: 'UserInitiated', stoppedReason: 'Platform stopped its tasks' });
    },
    agents,
    store,
    autoscaling,
  };
}

