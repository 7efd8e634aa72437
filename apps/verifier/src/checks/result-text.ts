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

/** An error's message and its cause's (fetch hides the real reason, e.g. ECONNREFUSED, in `cause`). */
export function describeError(error: unknown): string {
  const message = messageOf(error);
  const cause =
    typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return cause === undefined ? message : `${message}: ${messageOf(cause)}`;
}

// Duck-typed: errors from another realm (undici, jest's sandbox) fail `instanceof Error`.
function messageOf(value: unknown): string {
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  ) {
    return (value as { message: string }).message;
  }
  return String(value);
}
