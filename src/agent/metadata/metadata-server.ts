import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { TaskProtectionPort } from '../../agent-contract/ports.js';
import type { CredentialsProvider, MetadataEndpoint, MetadataProvider } from '../task/ports.js';
import { answerTaskProtection, NO_TASK, TASK_PROTECTION_PATH, type EndpointAnswer } from './task-protection-endpoint.js';

/** Largest body the agent endpoint reads (a task protection request is a few bytes). */
const MAX_BODY_BYTES = 16 * 1024;

/** The port the endpoint listens on at each task bridge's gateway address. */
export const DEFAULT_METADATA_PORT = 51679;

/**
 * The task metadata endpoint v4 and the agent endpoint. It listens on the task bridge's gateway
 * address — reachable from every task namespace, not from outside the host — and serves each
 * container's documents under an unguessable token, as `${ECS_CONTAINER_METADATA_URI_V4}`,
 * `/task`, `/stats` and `/task/stats`; under `/api/<token>` (`${ECS_AGENT_URI}`) it answers
 * task scale-in protection through its port, as the ECS agent does. It is also the credentials
 * endpoint, as the ECS agent's port is: `/v2/credentials/<id>` answers a task's role credentials
 * to that task's own address (tasks reach it at 169.254.170.2:80, which the task bridge
 * redirects here).
 */
export class MetadataServer implements MetadataEndpoint {
  private readonly servers = new Map<string, Promise<Server>>();
  private readonly providers = new Map<string, MetadataProvider>();
  private readonly credentials = new Map<string, CredentialsProvider>();

  /**
   * `onListen` runs once a gateway's listener is up and before any URI on it is handed out (the
   * task bridge's firewall opens the port to tasks then).
   */
  constructor(
    private readonly port = DEFAULT_METADATA_PORT,
    private readonly onListen: (gateway: string, port: number) => Promise<void> = async () => {},
    private readonly protection?: TaskProtectionPort,
  ) {}

  async register(gateway: string, token: string, provider: MetadataProvider): Promise<string> {
    this.providers.set(token, provider);
    return this.baseUri(gateway, token);
  }

  async registerCredentials(gateway: string, id: string, provider: CredentialsProvider): Promise<void> {
    this.credentials.set(id, provider);
    await this.baseUri(gateway, id);
  }

  unregisterCredentials(id: string): void {
    this.credentials.delete(id);
  }

  private async baseUri(gateway: string, token: string): Promise<string> {
    let server = this.servers.get(gateway);
    if (!server) {
      server = this.listen(gateway);
      this.servers.set(gateway, server);
      server.catch(() => this.servers.delete(gateway));
    }
    const listening = await server;
    const address = listening.address();
    const port = typeof address === 'object' && address ? address.port : this.port;
    return `http://${gateway}:${port}/v4/${token}`;
  }

  unregister(token: string): void {
    this.providers.delete(token);
  }

  /** Stops every listener. */
  async close(): Promise<void> {
    const servers = await Promise.allSettled(this.servers.values());
    this.servers.clear();
    await Promise.all(
      servers.flatMap((s) => (s.status === 'fulfilled' ? [new Promise<void>((r) => s.value.close(() => r()))] : [])),
    );
  }

  private listen(host: string): Promise<Server> {
    const server = createServer((req, res) => {
      void this.route(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        () => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"error":"internal error"}');
        },
      );
    });
    const listening = new Promise<Server>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, host, () => resolve(server));
    });
    return listening.then(async (s) => {
      const address = s.address();
      await this.onListen(host, typeof address === 'object' && address ? address.port : this.port);
      return s;
    });
  }

  private async route(req: IncomingMessage): Promise<EndpointAnswer> {
    const url = req.url ?? '/';
    if (url.startsWith('/v2/credentials')) return this.answerCredentials(url, req.socket.remoteAddress);
    const agent = /^\/api\/([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
    if (!agent) return this.answer(url);
    const provider = this.providers.get(agent[1]!);
    if (!provider || agent[2] !== TASK_PROTECTION_PATH) return NO_TASK;
    return answerTaskProtection(req.method ?? 'GET', await readBody(req), provider.taskArn, this.protection);
  }

  private async answer(url: string): Promise<EndpointAnswer> {
    const match = /^\/v4\/([^/?]+)(\/task)?(\/stats)?\/?(\?.*)?$/.exec(url);
    const provider = match && this.providers.get(match[1]!);
    if (!match || !provider) return { status: 404, body: { error: 'not found' } };
    const [, , task, stats] = match;
    if (task && stats) return { status: 200, body: await provider.taskStats() };
    if (task) return { status: 200, body: provider.task() };
    if (stats) return { status: 200, body: await provider.containerStats() };
    return { status: 200, body: provider.container() };
  }

  /** The ECS agent's answers: the credentials document, or its error codes (an id of another task reads as unknown). */
  private async answerCredentials(url: string, from: string | undefined): Promise<{ status: number; body: unknown }> {
    const id = /^\/v2\/credentials\/([^/?]*)\/?(\?.*)?$/.exec(url)?.[1] ?? '';
    if (id === '') return { status: 400, body: { code: 'NoIdInRequest', message: 'CredentialsV2Request: No ID in the request' } };
    const provider = this.credentials.get(id);
    const address = from?.startsWith('::ffff:') ? from.slice(7) : from;
    if (!provider || (provider.sourceAddress !== undefined && provider.sourceAddress !== address)) {
      return { status: 400, body: { code: 'InvalidIdInRequest', message: 'CredentialsV2Request: ID not found' } };
    }
    try {
      return { status: 200, body: await provider.credentials() };
    } catch {
      return { status: 500, body: { code: 'InternalServerError', message: 'CredentialsV2Request: unable to get credentials for the task role' } };
    }
  }
}

/** The request body as text, at most MAX_BODY_BYTES (the rest is not read). */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
