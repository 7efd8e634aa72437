import http from 'node:http';

export interface LoadFigures {
  sent: number;
  succeeded: number;
  failed: number;
  slow: number;
  /** The first few failures, with what went wrong. */
  failures: string[];
  /** Which version answered how often (from the sample app's `x-app-version` or body). */
  versions: Record<string, number>;
}

export interface LoadOptions {
  /** The customer-facing HAProxy frontend, e.g. http://127.0.0.1:8080 */
  url: string;
  concurrency: number;
  /** Share of requests that are long (`/slow`, held 500–2000 ms). */
  slowShare: number;
  requestTimeoutMs?: number;
}

/**
 * Steady customer traffic through HAProxy: short requests and long ones (`/slow?ms=500..2000`),
 * so that a server stopped before its in-flight requests finished shows up as failures. Every
 * request opens its own connection (no keep-alive), as browsers behind a load balancer often do.
 */
export class LoadGenerator {
  private running = false;
  private workers: Promise<void>[] = [];
  private readonly figures: LoadFigures = {
    sent: 0,
    succeeded: 0,
    failed: 0,
    slow: 0,
    failures: [],
    versions: {},
  };

  constructor(private readonly options: LoadOptions) {}

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.options.concurrency }, () => this.work());
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<LoadFigures> {
    this.running = false;
    await Promise.all(this.workers);
    return this.snapshot();
  }

  snapshot(): LoadFigures {
    return { ...this.figures, failures: [...this.figures.failures], versions: { ...this.figures.versions } };
  }

  private async work(): Promise<void> {
    while (this.running) {
      const slow = Math.random() < this.options.slowShare;
      const path = slow ? `/slow?ms=${500 + Math.floor(Math.random() * 1500)}` : '/version';
      this.figures.sent += 1;
      if (slow) this.figures.slow += 1;
      const outcome = await this.request(path);
      if (outcome.ok) {
        this.figures.succeeded += 1;
        if (outcome.version)
          this.figures.versions[outcome.version] = (this.figures.versions[outcome.version] ?? 0) + 1;
      } else {
        this.figures.failed += 1;
        if (this.figures.failures.length < 20) this.figures.failures.push(`${path}: ${outcome.reason}`);
      }
      if (!slow) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private request(path: string): Promise<{ ok: true; version?: string } | { ok: false; reason: string }> {
    return new Promise((resolve) => {
      const request = http.get(
        `${this.options.url}${path}`,
        { agent: false, timeout: this.options.requestTimeoutMs ?? 10_000, headers: { connection: 'close' } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => {
            if (response.statusCode !== 200) {
              resolve({ ok: false, reason: `HTTP ${response.statusCode} ${body.slice(0, 120)}` });
              return;
            }
            resolve({ ok: true, version: versionOf(body) });
          });
          response.on('error', (error) => resolve({ ok: false, reason: error.message }));
        },
      );
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', (error) => resolve({ ok: false, reason: error.message }));
    });
  }
}

function versionOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : undefined;
  } catch {
    return undefined;
  }
}
