/** Keeps the last `maxBytes` of a stream's output, however much is written. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly maxBytes = 4096) {}

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    if (this.size > this.maxBytes * 2) this.compact();
  }

  /** The tail as text; "…" marks that earlier output was dropped. */
  text(): string {
    this.compact();
    const text = Buffer.concat(this.chunks).toString('utf8').trimEnd();
    return this.dropped > 0 ? `…${text}` : text;
  }

  private compact(): void {
    if (this.size <= this.maxBytes) return;
    const all = Buffer.concat(this.chunks);
    const cut = all.byteLength - this.maxBytes;
    this.dropped += cut;
    this.chunks = [all.subarray(cut)];
    this.size = this.maxBytes;
  }
}
