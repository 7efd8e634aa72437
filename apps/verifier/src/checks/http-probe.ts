import type { HttpAnswer } from './health-answer.evaluator';
import { describeError } from '@conveyor/errors';

const MAX_BODY_BYTES = 64 * 1024;

export type Asked = { ok: true; answer: HttpAnswer } | { ok: false; why: string };

/** One GET: the answer (status, body up to 64 KB) or why there was none. */
export async function askOnce(
  url: string,
  headers: Record<string, string> | undefined,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<Asked> {
  if (timeoutMs <= 0) return { ok: false, why: 'no time left for a request' };
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      headers,
      signal: AbortSignal.any([stop, timeout]),
      redirect: 'manual',
    });
    return { ok: true, answer: { status: response.status, body: await readCapped(response) } };
  } catch (error) {
    if (timeout.aborted && !stop.aborted) return { ok: false, why: `no answer within ${timeoutMs} ms` };
    if (stop.aborted) return { ok: false, why: 'request stopped' };
    return { ok: false, why: `no answer: ${describeError(error)}` };
  }
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}
