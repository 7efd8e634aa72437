/** Cuts text to `max` characters, marking the cut with "…" at the end. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Keeps the end of text (an output tail), marking the cut with "…" at the start. */
export function clipStart(text: string, max: number): string {
  if (text.length <= max) return text;
  return `…${text.slice(text.length - Math.max(0, max - 1))}`;
}

/** A body excerpt for messages: one line, quoted, at most `max` characters. */
export function excerpt(body: string, max = 200): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine === '' ? '(empty body)' : `"${clip(oneLine, max)}"`;
}
