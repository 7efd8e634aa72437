/** Longest failure message kept, in characters. */
export const MESSAGE_MAX_CHARS = 2000;
/** Stack trace tail kept: at most this many lines and characters. */
export const STACK_TAIL_MAX_LINES = 15;
export const STACK_TAIL_MAX_CHARS = 2000;

/** Collects text up to a cap, keeping the beginning; never grows past the cap. */
export class HeadText {
  private content = '';
  private truncated = false;

  constructor(private readonly maxChars: number) {}

  append(piece: string): void {
    const room = this.maxChars - this.content.length;
    if (piece.length > room) this.truncated = true;
    if (room > 0) this.content += piece.slice(0, room);
  }

  /** Trimmed text, with "…" when something was cut off. */
  value(): string {
    const trimmed = this.content.trim();
    return this.truncated ? `${trimmed}…` : trimmed;
  }
}

/** Collects text keeping only its end (bounded to a few times the cap while appending). */
export class TailText {
  private content = '';

  constructor(private readonly maxChars: number) {}

  append(piece: string): void {
    this.content += piece;
    if (this.content.length > this.maxChars * 4) this.content = this.content.slice(-this.maxChars * 2);
  }

  /** The last `maxLines` non-empty lines, at most `maxChars` characters; undefined when blank. */
  lastLines(maxLines: number): string | undefined {
    const lines = this.content
      .split(/\r?\n/)
      .map((line) => line.trimEnd())
      .filter((line) => line.trim().length > 0);
    if (lines.length === 0) return undefined;
    const tail = lines.slice(-maxLines).join('\n');
    return tail.length > this.maxChars ? tail.slice(-this.maxChars) : tail;
  }

  /** The first non-empty line, for formats that put the message inside the trace. */
  firstLine(): string | undefined {
    return this.content
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line.length > 0);
  }
}
