import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How a fake deployed app answers `GET /health`:
 * - `healthy`: 200 `{status:'ok', version}`;
 * - `error`: 500 `{status:'broken', version}`;
 * - `silent`: accepts the connection and never answers;
 * - `warm-up`: 503 `{status:'starting'}` until `warmUpMs` after start, then healthy.
 * `setBehaviour` changes it at run time (a server that degrades during the bake window).
 */
export type FakeAppBehaviour = 'healthy' | 'error' | 'silent' | 'warm-up';

export interface FakeAppServer {
  readonly address: string;
  readonly healthRequests: number;
  setBehaviour(behaviour: FakeAppBehaviour): void;
  close(): Promise<void>;
}

export async function startFakeApp(options: {
  version: string;
  behaviour: FakeAppBehaviour;
  warmUpMs?: number;
}): Promise<FakeAppServer> {
  let behaviour = options.behaviour;
  let healthRequests = 0;
  const startedAt = Date.now();
  const held = new Set<ServerResponse>();
  const json = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url !== '/health') return json(response, 404, { error: 'no route' });
    healthRequests += 1;
    switch (behaviour) {
      case 'healthy':
        return json(response, 200, { status: 'ok', version: options.version });
      case 'error':
        return json(response, 500, { status: 'broken', version: options.version });
      case 'silent':
        held.add(response);
        return;
      case 'warm-up':
        if (Date.now() - startedAt < (options.warmUpMs ?? 1_000))
          return json(response, 503, { status: 'starting' });
        return json(response, 200, { status: 'ok', version: options.version });
    }
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    get healthRequests() {
      return healthRequests;
    },
    setBehaviour(next) {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        held.forEach((response) => response.destroy());
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
