import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { faultFromQuery, throttleStep, type ArtifactFault } from './artifact-fault';

/** One request the server answered, for tests that count downloads or retries. */
export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Body bytes written before the response ended or the connection was broken. */
  readonly bytesSent: number;
}

export interface ArtifactServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123; a file is at `${url}/<name>`. */
  readonly url: string;
  readonly port: number;
  /** Sets (or clears, with undefined) the fault applied to every download of `fileName`. */
  setFault(fileName: string, fault: ArtifactFault | undefined): void;
  /** Requests answered so far, oldest first. */
  requests(): readonly ServedRequest[];
  /** Stops listening and destroys open connections (in-flight downloads are cut). */
  close(): Promise<void>;
}

export interface ArtifactServerOptions {
  /** When set, a request without exactly this Authorization header gets 401 (an artifact store with credentials). */
  authorization?: string;
}

/**
 * Serves the files of `dir` over HTTP on 127.0.0.1 and a free port, with Content-Length, GET and HEAD.
 * Faults per file (setFault) or per request (?breakAfter=N, ?bytesPerSecond=N, ?delayMs=N).
 */
export async function startArtifactServer(
  dir: string,
  options: ArtifactServerOptions = {},
): Promise<ArtifactServer> {
  const root = resolve(dir);
  const faults = new Map<string, ArtifactFault>();
  const served: ServedRequest[] = [];

  const server = createServer((req, res) => {
    if (options.authorization !== undefined && req.headers.authorization !== options.authorization) {
      sendText(res, 401, 'authorization required');
      served.push({ method: req.method ?? '', path: req.url ?? '', status: 401, bytesSent: 0 });
      return;
    }
    serve(root, faults, req, res).then(
      (bytesSent) =>
        served.push({ method: req.method ?? '', path: req.url ?? '', status: res.statusCode, bytesSent }),
      (error: unknown) => {
        if (!res.headersSent) sendText(res, 500, `artifact server failed: ${String(error)}`);
        else res.destroy();
      },
    );
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setFault: (fileName, fault) =>
      fault === undefined ? faults.delete(fileName) : faults.set(fileName, fault),
    requests: () => [...served],
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

async function serve(
  root: string,
  faults: Map<string, ArtifactFault>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<number> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return sendText(res, 405, `method ${req.method} not allowed`);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const fileName = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  const filePath = resolve(root, fileName);
  if (fileName.length === 0 || !filePath.startsWith(root + sep))
    return sendText(res, 404, `no file ${JSON.stringify(fileName)}`);
  const parsed = faultFromQuery(url.searchParams, faults.get(fileName));
  if (!parsed.ok) return sendText(res, 400, parsed.error);
  const info = await stat(filePath).catch(() => undefined);
  if (info === undefined || !info.isFile()) return sendText(res, 404, `no file ${JSON.stringify(fileName)}`);

  const { fault } = parsed;
  if (fault.delayMs) await sleep(fault.delayMs);
  const body = await readFile(filePath);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.flushHeaders();
  if (req.method === 'HEAD') {
    res.end();
    return 0;
  }
  return sendBody(res, body, fault);
}

async function sendBody(res: ServerResponse, body: Buffer, fault: ArtifactFault): Promise<number> {
  const limit = fault.breakAfter === undefined ? body.length : Math.min(fault.breakAfter, body.length);
  const { chunkBytes, pauseMs } = throttleStep(fault.bytesPerSecond);
  let sent = 0;
  while (sent < limit && !res.destroyed) {
    const chunk = body.subarray(sent, Math.min(sent + chunkBytes, limit));
    await new Promise<void>((resolveWrite) => res.write(chunk, () => resolveWrite()));
    sent += chunk.length;
    if (pauseMs > 0 && sent < limit) await sleep(pauseMs);
  }
  if (limit < body.length) res.destroy();
  else res.end();
  return sent;
}

function sendText(res: ServerResponse, status: number, message: string): number {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(message),
  });
  res.end(message);
  return 0;
}
