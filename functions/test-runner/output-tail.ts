/**
 * The end of a process's output, in at most `limit` bytes however much it prints: a test suite
 * stuck in a loop of log lines must not fill the runner's memory, and the closing lines (the
 * summary, the last failure) are the part worth keeping. Chunks are kept as they arrive, so the
 * output of stdout and stderr stays interleaved in the order it was read.
 */
export class OutputTail {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private droppedBytes = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.kept += chunk.byteLength;
    // Whole chunks go once the rest still holds `limit` bytes; `bytes()` trims the remainder.
    for (
      let first = this.chunks[0];
      first && this.kept - first.byteLength >= this.limit;
      first = this.chunks[0]
    ) {
      this.chunks.shift();
      this.kept -= first.byteLength;
      this.droppedBytes += first.byteLength;
    }
  }

  /** How many bytes of output are not kept. */
  get dropped(): number {
    return this.droppedBytes + Math.max(0, this.kept - this.limit);
  }

  /** The last `bytes` bytes kept (all of them by default) as text, starting at a whole character. */
  text(bytes = this.limit): string {
    const all = Buffer.concat(this.chunks);
    let start = Math.max(0, all.byteLength - Math.min(bytes, this.limit));
    // A cut inside a multi-byte UTF-8 character starts at the next one (continuation bytes are 10xxxxxx).
    const cut = start > 0 || this.droppedBytes > 0;
    while (cut && start < all.byteLength && ((all[start] as number) & 0xc0) === 0x80) start += 1;
    return all.subarray(start).toString('utf8');
  }
}
