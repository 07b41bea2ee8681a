import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createVerify, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** One request SNS made to the test's endpoint. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, string>;
  readonly status: number;
  readonly at: number;
}

/**
 * An HTTP endpoint on 127.0.0.1 that records what it is sent and answers each request with the
 * next status of `statuses` (200 once they run out).
 */
export class TestEndpoint {
  readonly received: Received[] = [];
  statuses: number[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.statuses.shift() ?? 200;
        this.received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>, status, at: Date.now() });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  /** Waits until `n` requests of `type` have arrived; returns them. */
  async waitFor(type: string, n = 1, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.received.filter((r) => r.headers['x-amz-sns-message-type'] === type);
      if (got.length >= n) return got;
      if (Date.now() > deadline) throw new Error(`${n} ${type} message(s) did not arrive; got ${JSON.stringify(this.received.map((r) => r.body.Type))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for the first delivery of the message `messageId`. */
  async waitForMessage(messageId: string, timeoutMs = 10_000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.received.find((r) => r.body.MessageId === messageId);
      if (got) return got;
      if (Date.now() > deadline) throw new Error(`message ${messageId} did not arrive`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for the notification whose Subject is `subject`. */
  async waitForSubject(subject: string, timeoutMs = 10_000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.received.find((r) => r.body.Subject === subject);
      if (got) return got;
      if (Date.now() > deadline) throw new Error(`no message with Subject ${subject}; got ${JSON.stringify(this.received.map((r) => r.body.Subject))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Verifies a message as SNS's client libraries do: fetch the SigningCertURL, build the canonical
 * string of signature version 1, check SHA1withRSA. Written here from SNS's documentation, not
 * from minato's code.
 */
export async function verifySnsMessage(m: Record<string, string>): Promise<boolean> {
  if (m.SignatureVersion !== '1') return false;
  const res = await fetch(m.SigningCertURL!);
  if (!res.ok) return false;
  const cert = new X509Certificate(await res.text());
  const keys = m.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const text = keys.filter((k) => m[k] !== undefined).map((k) => `${k}\n${m[k]}\n`).join('');
  return createVerify('RSA-SHA1').update(text, 'utf8').verify(cert.publicKey, m.Signature!, 'base64');
}
