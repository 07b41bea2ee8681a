import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** How the processes sharing a PostgreSQL database tell each other of changes. */
export interface PostgresNoticesOptions {
  connectionString: string;
  /** The channels listened to. */
  channels: readonly string[];
  /** Called with each notice another process sent on a channel listened to. */
  onNotice: (channel: string, payload: string) => void;
  /** Told of a lost listening connection (it is made again) and of failed sends. */
  onError?: (err: Error) => void;
  /** How long to wait before listening again after the connection was lost (ms; default 1 s). */
  reconnectMs?: number;
}

/**
 * LISTEN/NOTIFY between the processes sharing a database. Notices are hints only: one sent while
 * a listener is reconnecting is lost, so whatever they wake must also come round on its own
 * (level-triggered: a held agent poll ends on its timeout, a loop ticks on its interval). A
 * process's own notices are not handed back to it.
 */
export class PostgresNotices {
  private readonly sender = randomUUID();
  private listener: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresNoticesOptions,
  ) {}

  /** Connects and listens (a first connection that fails throws; later losses are retried). */
  static async start(options: PostgresNoticesOptions): Promise<PostgresNotices> {
    const pool = new pg.Pool({ connectionString: options.connectionString, max: 1, application_name: 'minato-notify' });
    pool.on('error', (err) => options.onError?.(err));
    const notices = new PostgresNotices(pool, options);
    try {
      await notices.listen();
    } catch (err) {
      await pool.end();
      throw err;
    }
    return notices;
  }

  /** Sends a notice to the other processes (never throws: a lost notice is only a later wake). */
  async notify(channel: string, payload = ''): Promise<void> {
    if (this.closed) return;
    await this.pool.query('SELECT pg_notify($1, $2)', [channel, `${this.sender} ${payload}`]).catch((err: Error) => this.options.onError?.(err));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: 'minato-listen', keepAlive: true });
    client.on('notification', ({ channel, payload = '' }) => {
      const space = payload.indexOf(' ');
      if (space < 0 || payload.slice(0, space) === this.sender) return;
      this.options.onNotice(channel, payload.slice(space + 1));
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('the listening connection ended')));
    try {
      await client.connect();
      for (const channel of this.options.channels) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.listener = client;
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.closed || client !== this.listener) return;
    this.listener = undefined;
    this.options.onError?.(err);
    void client.end().catch(() => undefined);
    const again = () => {
      this.retry = setTimeout(() => {
        if (this.closed) return;
        this.listen().catch((e: Error) => {
          this.options.onError?.(e);
          again();
        });
      }, this.options.reconnectMs ?? 1_000);
      this.retry.unref();
    };
    again();
  }
}
