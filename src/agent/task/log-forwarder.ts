import { open, type FileHandle } from 'node:fs/promises';

/** One log line, as the container wrote it. */
export interface LogLine {
  timestamp: number;
  stream: 'stdout' | 'stderr';
  message: string;
}

/** The start of a well-formed record of the k8s-file format (ASCII only, so bytes read as latin1 suffice). */
const K8S_RECORD = /^\d{4}-\d\d-\d\dT[^\s\0]+ (stdout|stderr) [PF]( |$)/;

/** Partial text per stream: a `P` record is continued by the next record of the same stream. */
export interface PendingText {
  stdout: string;
  stderr: string;
}

/**
 * Parses complete lines of conmon's k8s-file log format
 * (`<RFC3339Nano time> <stdout|stderr> <F|P> <text>`); `P` marks a partial line that the next
 * record of the same stream continues (records of the other stream may come between: conmon
 * drains both pipes). Returns the parsed lines and the pending partial text of each stream.
 */
export function parseK8sFileLines(lines: readonly string[], pending: PendingText = { stdout: '', stderr: '' }): { lines: LogLine[]; pending: PendingText } {
  const out: LogLine[] = [];
  const partial = { ...pending };
  for (const raw of lines) {
    if (!K8S_RECORD.test(raw)) {
      // Not a record of the format: delivered as text rather than lost.
      out.push({ timestamp: Date.now(), stream: 'stdout', message: raw });
      continue;
    }
    const a = raw.indexOf(' ');
    const b = raw.indexOf(' ', a + 1);
    const c = raw.indexOf(' ', b + 1);
    const time = Date.parse(raw.slice(0, a));
    const stream = raw.slice(a + 1, b) === 'stderr' ? 'stderr' : 'stdout';
    const flag = c < 0 ? raw.slice(b + 1) : raw.slice(b + 1, c);
    const text = c < 0 ? '' : raw.slice(c + 1);
    if (flag === 'P') {
      partial[stream] += text;
      continue;
    }
    out.push({ timestamp: Number.isNaN(time) ? Date.now() : time, stream, message: partial[stream] + text });
    partial[stream] = '';
  }
  return { lines: out, pending: partial };
}

const EMPTY = Buffer.alloc(0);

/**
 * How many polls a suspect record (zeros where the writer's bytes have not landed yet, or a
 * start that is not yet a well-formed record) is read again before it is taken as it is: a busy
 * machine can leave a write half-visible for more than one poll, and a line must never be lost.
 */
const SUSPECT_POLLS = 30;

/** Whether a complete record (without its newline) may still be changing under the reader. */
function suspect(record: Buffer): boolean {
  return record.indexOf(0) >= 0 || !K8S_RECORD.test(record.subarray(0, 80).toString('latin1'));
}

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
  private pending: PendingText = { stdout: '', stderr: '' };
  /** File offset of the suspect record last seen, and how many polls have seen it. */
  private suspectAt = -1;
  private suspectPolls = 0;
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
    /** How many polls a suspect record is read again before it is taken as it is. */
    private readonly suspectLimit = SUSPECT_POLLS,
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

  /**
   * Where the first suspect record of `data` starts: a complete one (before `end`) that
   * `suspect` flags, or an unfinished tail holding a zero; -1 when there is none.
   */
  private firstSuspect(data: Buffer, end: number): number {
    for (let start = 0; start < end; ) {
      const nl = data.indexOf(0x0a, start);
      if (suspect(data.subarray(start, nl))) return start;
      start = nl + 1;
    }
    return data.indexOf(0, end) >= 0 ? end : -1;
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
      // yet (the file's size grows before the data lands), and not only in the unfinished tail.
      // The first suspect record (see `suspect`) is read again from its start on later polls;
      // one still suspect after `suspectLimit` polls (or on the final read) is taken as it is:
      // zeros the container printed itself, or text that is delivered raw rather than lost.
      const dataStart = this.offset - data.length;
      const end = data.lastIndexOf(0x0a) + 1;
      let usable = data.subarray(0, end);
      let torn = false;
      if (!final) {
        const at = this.firstSuspect(data, end);
        if (at >= 0 && (this.suspectAt !== dataStart + at || this.suspectPolls < this.suspectLimit)) {
          this.suspectPolls = this.suspectAt === dataStart + at ? this.suspectPolls + 1 : 1;
          this.suspectAt = dataStart + at;
          usable = data.subarray(0, at);
          torn = true;
        }
      }
      if (torn) this.offset = dataStart + usable.length;
      this.carry = torn ? EMPTY : Buffer.from(data.subarray(end));
      const records = usable.length === 0 ? [] : usable.subarray(0, usable.length - 1).toString('utf8').split('\n');
      const parsed = parseK8sFileLines(records, this.pending);
      this.pending = parsed.pending;
      if (parsed.lines.length > 0) await this.deliver(parsed.lines).catch(this.onError);
      if (torn || (bytesRead < CHUNK && !final)) break;
    }
  }
}
