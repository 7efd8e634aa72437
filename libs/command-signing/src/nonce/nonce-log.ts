/**
 * The nonce log's format, pure. One record a line: `<keepUntil epoch ms> <nonce>\n`, after a
 * header line. A record may appear twice (a compaction racing an append); the later
 * keepUntil wins. A last line without its newline is a write torn by a crash: it was never
 * acknowledged, so it is dropped.
 */
export const NONCE_LOG_HEADER = '# conveyor nonce log v1';

const recordPattern = /^(\d{1,16}) ([A-Za-z0-9_-]{1,128})$/;
export const storableNoncePattern = /^[A-Za-z0-9_-]{1,128}$/;

export function formatNonceRecord(nonce: string, keepUntilMs: number): string {
  if (!storableNoncePattern.test(nonce)) {
    throw new Error('nonce must be 1-128 base64url characters to be stored');
  }
  if (!Number.isSafeInteger(keepUntilMs) || keepUntilMs < 0) {
    throw new Error(`keepUntil must be a valid time, got ${keepUntilMs}`);
  }
  return `${keepUntilMs} ${nonce}\n`;
}

export function formatNonceLog(nonces: ReadonlyMap<string, number>): string {
  let text = `${NONCE_LOG_HEADER}\n`;
  for (const [nonce, keepUntilMs] of nonces) {
    text += formatNonceRecord(nonce, keepUntilMs);
  }
  return text;
}

export type ParsedNonceLog =
  | { ok: true; live: Map<string, number>; expired: number; tornTail: boolean }
  | { ok: false; detail: string };

/** Reads a log, keeping the nonces still to be remembered at `nowMs`. */
export function parseNonceLog(text: string, nowMs: number): ParsedNonceLog {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const tornTail = tail.length > 0;
  const [header, ...records] = lines;
  if (header !== undefined && header !== NONCE_LOG_HEADER) {
    return { ok: false, detail: `line 1 is "${header.slice(0, 40)}", expected "${NONCE_LOG_HEADER}"` };
  }
  const all = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    const match = recordPattern.exec(record);
    const [, keepUntilText, nonce] = match ?? [];
    if (keepUntilText === undefined || nonce === undefined) {
      return { ok: false, detail: `line ${index + 2} is not "<epoch ms> <nonce>": "${record.slice(0, 40)}"` };
    }
    all.set(nonce, Math.max(Number(keepUntilText), all.get(nonce) ?? 0));
  }
  const live = new Map<string, number>();
  for (const [nonce, keepUntilMs] of all) {
    if (keepUntilMs > nowMs) live.set(nonce, keepUntilMs);
  }
  return { ok: true, live, expired: all.size - live.size, tornTail };
}
