import { get, type IncomingHttpHeaders } from 'node:http';

/** What a client saw of one HTTP GET, including a connection cut mid-body. */
export interface Download {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** False when the connection broke before the body ended. */
  readonly complete: boolean;
  readonly durationMs: number;
}

/** GETs `url` and keeps whatever bytes arrive, even if the server breaks the connection. */
export function download(url: string): Promise<Download> {
  const startedAt = Date.now();
  return new Promise((resolveDownload, rejectDownload) => {
    const request = get(url, (response) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (complete: boolean) => {
        if (settled) return;
        settled = true;
        resolveDownload({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
          complete,
          durationMs: Date.now() - startedAt,
        });
      };
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => finish(response.complete));
      response.on('error', () => finish(false));
      response.on('close', () => finish(response.complete));
    });
    request.on('error', rejectDownload);
  });
}

/** GETs `url` and parses a JSON body. */
export async function getJson(url: string): Promise<{ status: number; body: unknown; durationMs: number }> {
  const result = await download(url);
  return {
    status: result.status,
    body: JSON.parse(result.body.toString('utf8')) as unknown,
    durationMs: result.durationMs,
  };
}
