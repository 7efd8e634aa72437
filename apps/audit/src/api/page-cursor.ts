/** An opaque cursor for `GET /audit/events`: where the next page starts. */
export type CursorDecoding = { ok: true; afterSeq: number } | { ok: false; message: string };

const VERSION = 1;

export function encodeCursor(afterSeq: number): string {
  return Buffer.from(JSON.stringify({ v: VERSION, after: afterSeq }), 'utf8').toString('base64url');
}

/** Refuses anything this service did not hand out, saying so. Pure. */
export function decodeCursor(text: string): CursorDecoding {
  const invalid: CursorDecoding = {
    ok: false,
    message: 'is not a cursor returned by this API (pass nextCursor of the previous page unchanged)',
  };
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return invalid;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  if (typeof value !== 'object' || value === null) return invalid;
  const { v, after } = value as { v?: unknown; after?: unknown };
  if (v !== VERSION || typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0) return invalid;
  return { ok: true, afterSeq: after };
}
