/**
 * A free list of equally sized buffers, reused across blob downloads. A fresh buffer per read (what
 * `fs.createReadStream` does) is external memory: in a process with a large heap it triggers
 * major garbage collections that cost a quarter of the CPU of a download. Reused buffers cost none.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  /**
   * @param size bytes per buffer
   * @param keep how many idle buffers stay allocated (memory kept after a burst: `size × keep`)
   */
  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  /** A buffer of `size` bytes with unspecified content: from the free list, or new. */
  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** Gives a buffer back once nothing reads it any more; dropped when the free list is full. */
  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.free.length < this.keep) this.free.push(buffer);
  }

  /** How many idle buffers are kept right now. */
  get idle(): number {
    return this.free.length;
  }
}
