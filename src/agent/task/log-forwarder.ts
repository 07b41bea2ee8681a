import { open, type FileHandle } from 'node:fs/promises';

/** One log line, as the container wrote it. */
export interface LogLine {
  timestamp: number;
  stream: 'stdout' | 'stderr';
  message: string;
}

/**
 * Parses complete lines of conmon's k8s-file log format
 * (`<RFC3339Nano time> <stdout|stderr> <F|P> <text>`); `P` marks a partial line that the next
 * record continues. Returns the parsed lines and the pending partial text.
 */
export function parseK8sFileLines(lines: readonly string[], pending = ''): { lines: LogLine[]; pending: string } {
  const out: LogLine[] = [];
  let partial = pending;
  for (const raw of lines) {
    const a = raw.indexOf(' ');
    const b = raw.indexOf(' ', a + 1);
    const c = raw.indexOf(' ', b + 1);
    if (a < 0 || b < 0) continue;
    const time = Date.parse(raw.slice(0, a));
    const stream = raw.slice(a + 1, b) === 'stderr' ? 'stderr' : 'stdout';
    const flag = c < 0 ? raw.slice(b + 1) : raw.slice(b + 1, c);
    const text = c < 0 ? '' : raw.slice(c + 1);
    if (flag === 'P') {
      partial += text;
      continue;
    }
    out.push({ timestamp: Number.isNaN(time) ? Date.now() : time, stream, message: partial + text });
    partial = '';
  }
  return { lines: out, pending: partial };
}

/** One well-formed record of the k8s-file format. */
const K8S_RECORD = /^\d{4}-\d\d-\d\dT[^\s\0]+ (stdout|stderr) [PF]( |$)/;

const EMPTY = Buffer.alloc(0);

/** How often the forwarder looks for new lines. */
const POLL_MS = 100;
/** Largest read per poll; a busy container is drained over several polls. */
const CHUNK = 1 << 20;

/**
 * Follows a container's log file and hands batches of lines to `deliver`, in order. Polling keeps
 * it simple and robust (inotify misses writes on some filesystems); `close` drains what is left.
 */
export class LogForwarder {
  private handle: FileHandle | undefined;
  private offset = 0;
  private carry: Buffer = EMPTY;
  private pending = '';
  /** File offset of the record where a zero was last seen: read again once, then taken as it is. */
  private zeroAt = -1;
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly deliver: (lines: LogLine[]) => Promise<void>,
    /** Told when a batch could not be delivered (the lines are not retried). */
    private readonly onError: (err: unknown) => void,
    /** Start reading here (the end of what was already delivered, after a restart). */
    startOffset = 0,
  ) {
    this.offset = startOffset;
  }

  /** Bytes of the file already read. */
  get position(): number {
    return this.offset;
  }

  /** Starts following the file. */
  start(): void {
    this.timer = setInterval(() => {
      this.busy = this.busy.then(() => this.poll());
    }, POLL_MS);
    this.timer.unref();
  }

  /** Reads to the end of the file one last time and stops. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
    await this.poll(true);
    await this.handle?.close();
  }

  private async poll(final = false): Promise<void> {
    try {
      this.handle ??= await open(this.path, 'r');
    } catch {
      return; // conmon creates the file when the container starts
    }
    for (;;) {
      const buffer = Buffer.alloc(CHUNK);
      const { bytesRead } = await this.handle.read(buffer, 0, CHUNK, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      // Bytes, not text, until a record is complete: a read may end inside a UTF-8 character.
      const data = this.carry.length > 0 ? Buffer.concat([this.carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
      // A read racing the monitor's write can see zeros where the writer has not copied its bytes
      // yet (the file's size grows before the data lands), and not only in the unfinished tail:
      // the record holding the first zero is read again from its start on the next poll. A zero
      // in the tail always is; one in a finished record that is still there on the next poll is
      // the container's own output, and kept (as on the final read).
      const dataStart = this.offset - data.length;
      let usable = data;
      let torn = false;
      const zero = final ? -1 : data.indexOf(0);
      if (zero >= 0) {
        const recordStart = data.lastIndexOf(0x0a, zero) + 1;
        const inTail = data.indexOf(0x0a, zero) < 0;
        if (inTail || this.zeroAt !== dataStart + recordStart) {
          this.zeroAt = dataStart + recordStart;
          usable = data.subarray(0, recordStart);
          torn = true;
        }
      }
      const cut = usable.lastIndexOf(0x0a);
      const tail = cut < 0 ? usable : usable.subarray(cut + 1);
      if (torn) this.offset = dataStart + usable.length;
      this.carry = torn ? EMPTY : Buffer.from(tail);
      const records = (cut < 0 ? [] : usable.subarray(0, cut).toString('utf8').split('\n')).filter((r) => K8S_RECORD.test(r));
      const parsed = parseK8sFileLines(records, this.pending);
      this.pending = parsed.pending;
      if (parsed.lines.length > 0) await this.deliver(parsed.lines).catch(this.onError);
      if (torn || (bytesRead < CHUNK && !final)) break;
    }
  }
}
