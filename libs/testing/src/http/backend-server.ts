import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Requests a backend server has answered (or is answering), by kind. */
export interface BackendCounters {
  /** Every request, health checks included. */
  total: number;
  /** `GET /health` only (HAProxy's checks). */
  health: number;
  /** Requests other than health checks: what customers sent. */
  traffic: number;
  /** Requests currently held open by `/hold`. */
  held: number;
}

/**
 * A small HTTP server standing in for one deployed service instance:
 * - `GET /health` → 200 "ok" (503 after `setHealthy(false)`);
 * - `GET /` → 200 with its id as body and in the `x-backend-id` header;
 * - `GET /slow?ms=N` → answers after N ms;
 * - `GET /hold` → held open until `releaseHeld()` (or close()).
 */
export class BackendServer {
  readonly counters: BackendCounters = { total: 0, health: 0, traffic: 0, held: 0 };
  private healthy = true;
  private readonly heldResponses = new Set<ServerResponse>();
  private readonly heldWaiters = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    readonly id: string,
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(id: string, host = '127.0.0.1'): Promise<BackendServer> {
    const bound: { instance?: BackendServer } = {};
    const server = createServer((request, response) => bound.instance?.handle(request, response));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: 0 }, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    bound.instance = new BackendServer(id, server, host, port);
    return bound.instance;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Makes `/health` answer 503 (false) or 200 (true). */
  setHealthy(healthy: boolean): void {
    this.healthy = healthy;
  }

  /** Answers every request held by `/hold`; returns how many were released. */
  releaseHeld(): number {
    const released = this.heldResponses.size;
    for (const response of this.heldResponses) {
      this.answer(response, 200, `${this.id} released`);
    }
    this.heldResponses.clear();
    this.counters.held = 0;
    return released;
  }

  /** Resolves once at least `count` requests are held open here. */
  async waitForHeld(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.heldResponses.size < count) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `Backend ${this.id} holds ${this.heldResponses.size} request(s), expected ${count} within ${timeoutMs} ms`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.heldWaiters.add(done);
      });
    }
  }

  /** Releases held requests, drops open connections and stops listening. */
  async close(): Promise<void> {
    this.releaseHeld();
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://backend.invalid');
    this.counters.total += 1;
    if (request.method === 'GET' && url.pathname === '/health') {
      this.counters.health += 1;
      this.answer(response, this.healthy ? 200 : 503, this.healthy ? 'ok' : 'unhealthy');
      return;
    }
    this.counters.traffic += 1;
    if (request.method !== 'GET') {
      this.answer(response, 405, `${this.id}: only GET`);
    } else if (url.pathname === '/') {
      this.answer(response, 200, this.id);
    } else if (url.pathname === '/slow') {
      const ms = Number(url.searchParams.get('ms') ?? '0');
      if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) {
        this.answer(response, 400, `${this.id}: ms must be an integer 0..600000`);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.answer(response, 200, this.id);
      }, ms);
      this.timers.add(timer);
    } else if (url.pathname === '/hold') {
      this.heldResponses.add(response);
      this.counters.held = this.heldResponses.size;
      response.on('close', () => {
        this.heldResponses.delete(response);
        this.counters.held = this.heldResponses.size;
      });
      this.heldWaiters.forEach((wake) => wake());
      this.heldWaiters.clear();
    } else {
      this.answer(response, 404, `${this.id}: no route ${url.pathname}`);
    }
  }

  private answer(response: ServerResponse, status: number, body: string): void {
    if (response.writableEnded || response.destroyed) return;
    response.writeHead(status, { 'content-type': 'text/plain', 'x-backend-id': this.id });
    response.end(body);
  }
}
