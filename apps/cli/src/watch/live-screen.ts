import type { OutputStream } from '../cli-context';

export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';

/**
 * The bytes that replace the last frame (`previousLineCount` lines, cursor below them) with
 * `lines`: move to the first line's start, then rewrite each line and clear what is left of
 * it, then clear anything below (a frame that shrank). Pure.
 */
export function redrawSequence(previousLineCount: number, lines: readonly string[]): string {
  const up = previousLineCount > 0 ? `\x1b[${previousLineCount}F` : '';
  return `${up}${lines.map((line) => `${line}\x1b[K\n`).join('')}\x1b[J`;
}

/** Redraws a block of lines in place on a terminal. */
export class LiveScreen {
  private drawn = 0;
  private cursorHidden = false;

  constructor(private readonly out: OutputStream) {}

  draw(lines: readonly string[]): void {
    const hide = this.cursorHidden ? '' : HIDE_CURSOR;
    this.cursorHidden = true;
    this.out.write(hide + redrawSequence(this.drawn, lines));
    this.drawn = lines.length;
  }

  /** Leaves the last frame on screen and gives the cursor back. */
  close(): void {
    if (this.cursorHidden) this.out.write(SHOW_CURSOR);
    this.cursorHidden = false;
  }
}
