import type {
  CredentialsRequest,
  CredentialsResponse,
  LogsRequest,
  PollRequest,
  PollResponse,
  RegisterRequest,
  RegisterResponse,
  ReportsRequest,
  ReportsResponse,
  SecretRequest,
  SecretResponse,
  TaskProtectionRequest,
  UsageRequest,
  UsageResponse,
} from '../../agent-contract/protocol.js';
import type { ProtectionOutcome } from '../../agent-contract/ports.js';
import { AGENT_API_PREFIX, INSTANCE_SECRET_HEADER } from '../../agent-contract/protocol.js';

/** An answer of the control plane other than 200, with the protocol's error code. */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How long a request other than a poll may take before it counts as failed. */
const REQUEST_TIMEOUT_MS = 15_000;

/** Answers of a proxy or a replica that cannot serve now: another endpoint may. */
const UNAVAILABLE = new Set([502, 503, 504]);

/**
 * The agent's HTTP client of the protocol: JSON bodies, the join token as a Bearer token. Given
 * several endpoints (replicas of the control plane), it talks to one at a time and moves to the
 * next when a request cannot reach it, times out or finds it unavailable; the request fails all
 * the same and its caller retries as it would (the protocol is level-triggered, so nothing is lost).
 */
export class ControlClient {
  private readonly endpoints: readonly string[];
  private current = 0;
  /** The instance's credential once registered (see RegisterResponse.instanceSecret), sent with every request. */
  instanceSecret: string | undefined;

  constructor(
    endpoints: string | readonly string[],
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.endpoints = (typeof endpoints === 'string' ? [endpoints] : endpoints).map((e) => e.replace(/\/+$/, ''));
    if (this.endpoints.length === 0) throw new Error('the control plane client needs an endpoint');
  }

  /** The endpoint requests go to now. */
  get endpoint(): string {
    return this.endpoints[this.current]!;
  }

  /** Joins (or re-joins) the cluster. */
  register(body: RegisterRequest): Promise<RegisterResponse> {
    return this.post('register', body);
  }

  /** Long-polls for orders; `holdMs` is how long the control plane may hold it. */
  poll(body: PollRequest, holdMs: number, signal?: AbortSignal): Promise<PollResponse> {
    return this.post('poll', body, holdMs + REQUEST_TIMEOUT_MS, signal);
  }

  /** Sends state changes; resolves with how many were applied. */
  reports(body: ReportsRequest): Promise<ReportsResponse> {
    return this.post('reports', body);
  }

  /** Resolves a container secret through the control plane. */
  async secret(body: SecretRequest): Promise<string> {
    return (await this.post<SecretResponse>('secrets', body)).value;
  }

  /** Reads or sets a task's scale-in protection through the control plane. */
  taskProtection(body: TaskProtectionRequest): Promise<ProtectionOutcome> {
    return this.post('task-protection', body);
  }

  /** A role's credentials for a task on this agent, or ECS's reason it cannot be assumed. */
  credentials(body: CredentialsRequest): Promise<CredentialsResponse> {
    return this.post('credentials', body);
  }

  /** Reports the tasks' measured use; learns which of their clusters have Container Insights on. */
  usage(body: UsageRequest): Promise<UsageResponse> {
    return this.post('usage', body);
  }

  /** Delivers awslogs events. */
  async logs(body: LogsRequest): Promise<void> {
    await this.post('logs', body);
  }

  private async post<T>(path: string, body: unknown, timeoutMs = REQUEST_TIMEOUT_MS, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const used = this.current;
    const res = await this.fetchImpl(`${this.endpoints[used]}${AGENT_API_PREFIX}/${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.token}`,
        'content-type': 'application/json',
        ...(this.instanceSecret && { [INSTANCE_SECRET_HEADER]: this.instanceSecret }),
      },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    }).catch((err: unknown) => {
      // The caller's own abort (shutting down) says nothing about the endpoint.
      if (!signal?.aborted) this.moveOn(used);
      throw err;
    });
    if (UNAVAILABLE.has(res.status)) this.moveOn(used);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (res.ok && parsed !== undefined) return parsed as T;
    const err = (parsed ?? {}) as { code?: string; message?: string };
    throw new ControlPlaneError(res.status, err.code ?? 'Unknown', err.message ?? `HTTP ${res.status} from ${path}`);
  }

  /** After a failure at endpoint `used`: the next one, unless another request moved on already. */
  private moveOn(used: number): void {
    if (this.current === used) this.current = (used + 1) % this.endpoints.length;
  }
}
