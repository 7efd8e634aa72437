/** A line of the live view as styled segments, so width and colour are decided in one place. Pure. */
export type Style = 'bold' | 'dim' | 'green' | 'yellow' | 'red' | 'cyan';
export interface Segment {
  text: string;
  style?: Style;
}
export type StyledLine = readonly Segment[];

const SGR: Record<Style, [string, string]> = {
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  green: ['\x1b[32m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  red: ['\x1b[31m', '\x1b[39m'],
  cyan: ['\x1b[36m', '\x1b[39m'],
};

export const seg = (text: string, style?: Style): Segment =>
  style === undefined ? { text } : { text, style };

/**
 * The line as text: at most `width` visible characters (a line never wraps, so the redraw can
 * count lines), with ANSI colours when `color` is on.
 */
export function toText(line: StyledLine, options: { color: boolean; width: number | null }): string {
  let room = options.width ?? Number.POSITIVE_INFINITY;
  let out = '';
  for (const segment of line) {
    if (room <= 0) break;
    const chars = Array.from(segment.text);
    const visible = chars.length > room ? `${chars.slice(0, Math.max(0, room - 1)).join('')}…` : segment.text;
    room -= Math.min(chars.length, room);
    out +=
      options.color && segment.style !== undefined
        ? `${SGR[segment.style][0]}${visible}${SGR[segment.style][1]}`
        : visible;
  }
  return out.trimEnd();
}
