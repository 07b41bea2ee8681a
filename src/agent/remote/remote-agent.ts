import type { PollResponse, RegisterRequest, RegistryAuth } from '../../agent-contract/protocol.js';
import { isStoppingStatus, type StopReason, type TaskLaunchSpec, type TaskRecovery, type TaskStateChange } from '../../agent-contract/task-contract.js';
import { firewallDigest, type TaskFirewall } from '../../agent-contract/task-firewall.js';
import { parseTaskFirewall } from '../network/task-firewall.js';
import type { AgentStore } from './agent-store.js';
import { ControlPlaneError, type ControlClient } from './control-client.js';
import type { ReportQueue } from './report-queue.js';
import { foldChange } from './task-state.js';

/** What runs the tasks (the LocalAgent, with this agent's runtime, network and images). */
export interface TaskRunner {
  launch(spec: TaskLaunchSpec): void;
  stop(taskArn: string, reason: StopReason): void;
  /** Takes back the tasks saved before a restart (see TaskRecovery). */
  adopt(recoveries: readonly TaskRecovery[]): Promise<void>;
  /**
   * Replaces what a task's security groups allow (before its network exists: what it is made
   * with). Without it the agent states no firewalls, and the control plane sends none.
   */
  setFirewall?(taskArn: string, firewall: TaskFirewall): Promise<void>;
}

/** What a remote agent is made of. */
export interface RemoteAgentDeps {
  client: Pick<ControlClient, 'register' | 'poll' | 'reports' | 'instanceSecret'>;
  store: AgentStore;
  runner: TaskRunner;
  queue: ReportQueue;
  /** What it registers as (the ARN is added from the store on re-join). */
  registration: Omit<RegisterRequest, 'containerInstanceArn'>;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Called once after each successful registration. */
  onJoined?: (containerInstanceArn: string) => void;
  /** Delay after a failed exchange: first, and the cap it doubles up to. */
  backoff?: { initialMs: number; maxMs: number };
}

/** One task this agent accepted. */
interface AgentTask {
  spec: TaskLaunchSpec;
  state: TaskStateChange;
  stopRequested: boolean;
  /** The chain of state writes, so that they land in order. */
  saving: Promise<void>;
}

/**
 * A container instance's agent: joins the cluster, long-polls for orders and carries them out
 * with the task runner, queues every report until the control plane has it. What it accepted is
 * saved before it starts, so that after a restart it adopts its tasks, re-sends their cumulative
 * state and re-joins under the same ARN: nothing is lost or started twice. While the control
 * plane is unreachable it retries with backoff and its tasks keep running.
 */
export class RemoteAgent {
  private readonly tasks = new Map<string, AgentTask>();
  private readonly auth = new Map<string, RegistryAuth>();
  /**
   * The digest of the firewall each task holds (its launch's, or the last one ordered): stated
   * with every poll, so that the control plane sends a firewall again only when it changed. Not
   * saved: after a restart the control plane sends every task's current firewall again.
   */
  private readonly firewalls = new Map<string, string>();
  /** Firewalls being applied (close waits for them). */
  private readonly applying = new Set<Promise<void>>();
  private readonly stopSignal = new AbortController();
  private arn: string | undefined;
  private registered = false;
  private holdMs = 20_000;
  private account: string | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: RemoteAgentDeps) {}

  /** The instance ARN, once registered. */
  get containerInstanceArn(): string | undefined {
    return this.arn;
  }

  /** The cluster's account, once registered. */
  accountId(): string | undefined {
    return this.account;
  }

  /** The freshest own-registry credentials received for a region. */
  registryAuth(region: string): RegistryAuth | undefined {
    return this.auth.get(region);
  }

  /** The TaskReporter the runner reports through: folded into the saved state, queued for sending. */
  readonly report = async (taskArn: string, change: TaskStateChange): Promise<void> => {
    const task = this.tasks.get(taskArn);
    if (task) {
      task.state = foldChange(task.state, change);
      const state = task.state;
      task.saving = task.saving
        .then(() => this.deps.store.saveState(task.spec.taskId, state))
        .catch((err: unknown) => this.deps.log.error({ err, taskArn }, 'saving task state failed'));
    }
    this.deps.queue.push({ taskArn, change });
  };

  /** Adopts the saved tasks, then joins and polls until `close`. */
  async start(): Promise<void> {
    const saved = await this.deps.store.load((file, err) => this.deps.log.error({ err, file }, 'unreadable saved task skipped'));
    for (const { spec, state } of saved) {
      this.tasks.set(spec.taskArn, { spec, state, stopRequested: false, saving: Promise.resolve() });
      // The cumulative state may not have reached the control plane before the restart.
      if (Object.keys(state).length > 0) this.deps.queue.push({ taskArn: spec.taskArn, change: state });
    }
    // A stop that had begun is carried on; stops the control plane asks for arrive with the first poll.
    await this.deps.runner.adopt(saved.filter((s) => s.state.lastStatus !== 'STOPPED').map((s) => ({ spec: s.spec, known: s.state })));
    this.loop = this.run();
  }

  /** Stops polling and sending (tasks keep running; a new agent adopts them). */
  async close(): Promise<void> {
    this.stopSignal.abort();
    this.deps.queue.close();
    await this.loop;
    await Promise.all([...this.tasks.values()].map((t) => t.saving));
    await Promise.all(this.applying);
  }

  private async run(): Promise<void> {
    const { initialMs, maxMs } = this.deps.backoff ?? { initialMs: 500, maxMs: 15_000 };
    let delay = initialMs;
    while (!this.stopSignal.signal.aborted) {
      try {
        if (!this.registered) await this.register();
        const orders = await this.deps.client.poll({ containerInstanceArn: this.arn!, ...this.view() }, this.holdMs, this.stopSignal.signal);
        await this.apply(orders);
        delay = initialMs;
      } catch (err) {
        if (this.stopSignal.signal.aborted) return;
        if (err instanceof ControlPlaneError && err.code === 'UnknownInstance') this.registered = false;
        this.deps.log.warn({ err: String(err), retryInMs: delay }, 'control plane exchange failed; retrying');
        await sleep(delay * (0.75 + Math.random() / 2), this.stopSignal.signal);
        delay = Math.min(delay * 2, maxMs);
      }
    }
  }

  private async register(): Promise<void> {
    const saved = await this.deps.store.instance();
    const previous = this.arn ?? saved?.containerInstanceArn;
    // A re-join proves it is that instance with the credential it was given.
    if (saved?.instanceSecret !== undefined) this.deps.client.instanceSecret = saved.instanceSecret;
    const res = await this.deps.client.register({ ...this.deps.registration, ...(previous && { containerInstanceArn: previous }) });
    this.deps.client.instanceSecret = res.instanceSecret;
    if (res.containerInstanceArn !== previous || res.instanceSecret !== saved?.instanceSecret) {
      await this.deps.store.saveInstance(res.containerInstanceArn, res.instanceSecret);
    }
    this.arn = res.containerInstanceArn;
    this.account = res.accountId;
    this.holdMs = Math.max(0, res.pollSeconds * 1000);
    this.registered = true;
    const arn = res.containerInstanceArn;
    this.deps.queue.setSender(async (reports) => {
      try {
        return (await this.deps.client.reports({ containerInstanceArn: arn, reports })).accepted;
      } catch (err) {
        if (err instanceof ControlPlaneError && err.code === 'UnknownInstance') this.registered = false;
        throw err;
      }
    });
    this.deps.log.info({ containerInstanceArn: arn, rejoined: previous === arn }, `agent joined as ${arn}`);
    this.deps.onJoined?.(arn);
  }

  /** Everything the agent remembers, for the poll. */
  private view(): { known: string[]; stopping: string[]; stopped: string[]; firewalls?: Record<string, string> } {
    const view = { known: [] as string[], stopping: [] as string[], stopped: [] as string[] };
    const firewalls: Record<string, string> = {};
    for (const [arn, t] of this.tasks) {
      view.known.push(arn);
      if (t.state.lastStatus === 'STOPPED') view.stopped.push(arn);
      else if (t.stopRequested || isStoppingStatus(t.state.lastStatus)) view.stopping.push(arn);
      const digest = this.firewalls.get(arn);
      if (digest !== undefined) firewalls[arn] = digest;
    }
    return this.deps.runner.setFirewall ? { ...view, firewalls } : view;
  }

  private async apply(orders: PollResponse): Promise<void> {
    for (const { spec, registryAuth } of orders.launch) {
      if (this.tasks.has(spec.taskArn)) continue;
      if (registryAuth) this.auth.set(spec.region, registryAuth);
      // A launch's firewall is the one its network is made with. One not of the contract's shape
      // is not held: the task fails to start on it, and the control plane's next one is taken.
      if (spec.firewall !== undefined && this.deps.runner.setFirewall) {
        try {
          this.firewalls.set(spec.taskArn, firewallDigest(parseTaskFirewall(spec.firewall)));
        } catch (err) {
          this.deps.log.error({ err: String(err), taskArn: spec.taskArn }, 'the launch carries an invalid firewall');
        }
      }
      // Saved before it starts: from here on the task is known, after a restart too.
      await this.deps.store.saveSpec(spec);
      this.tasks.set(spec.taskArn, { spec, state: {}, stopRequested: false, saving: Promise.resolve() });
      this.deps.log.info({ taskArn: spec.taskArn }, 'launching task');
      this.deps.runner.launch(spec);
    }
    for (const { taskArn, reason } of orders.stop) {
      const task = this.tasks.get(taskArn);
      if (!task || task.stopRequested) continue;
      task.stopRequested = true;
      this.deps.log.info({ taskArn, reason }, 'stopping task');
      this.deps.runner.stop(taskArn, reason);
    }
    const invalid = this.applyFirewalls(orders.firewalls ?? []);
    for (const taskArn of orders.forget) {
      const task = this.tasks.get(taskArn);
      if (!task || task.state.lastStatus !== 'STOPPED') continue;
      this.tasks.delete(taskArn);
      this.firewalls.delete(taskArn);
      this.deps.queue.drop(taskArn);
      await task.saving;
      await this.deps.store.forget(task.spec.taskId);
    }
    // Sent again by the control plane at once: the exchange counts as failed, so that it backs off.
    if (invalid) throw new Error(`firewall orders not applied: ${invalid}`);
  }

  /**
   * Starts replacing the firewalls the control plane sent, each held from now on (so that the
   * next poll is not answered with it again while it is applied). An apply that fails lets it go,
   * so the control plane sends it again. Returns why orders not of the contract's shape were refused.
   */
  private applyFirewalls(orders: NonNullable<PollResponse['firewalls']>): string | undefined {
    const setFirewall = this.deps.runner.setFirewall?.bind(this.deps.runner);
    let invalid: string | undefined;
    for (const { taskArn, firewall } of orders) {
      if (!setFirewall || !this.tasks.has(taskArn)) continue;
      let checked: TaskFirewall;
      try {
        checked = parseTaskFirewall(firewall);
      } catch (err) {
        invalid = (err as Error).message;
        this.deps.log.error({ err: invalid, taskArn }, 'the control plane sent an invalid firewall');
        continue;
      }
      const digest = firewallDigest(checked);
      this.firewalls.set(taskArn, digest);
      this.deps.log.info({ taskArn }, 'replacing the task\'s firewall');
      const applied = setFirewall(taskArn, checked).catch((err: unknown) => {
        this.deps.log.error({ err, taskArn }, 'replacing the task\'s firewall failed');
        if (this.firewalls.get(taskArn) === digest) this.firewalls.delete(taskArn);
      });
      this.applying.add(applied);
      void applied.finally(() => this.applying.delete(applied));
    }
    return invalid;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
