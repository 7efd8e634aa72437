import { request, Agent } from 'node:http';

export interface HttpGetResult {
  readonly status: number;
  readonly body: string;
  readonly backendId: string | undefined;
}

/**
 * One GET on a fresh connection (no keep-alive), so each call is a new request through
 * HAProxy; rejects on network errors and after `timeoutMs` (default 5000).
 */
export function httpGet(url: string, timeoutMs = 5000): Promise<HttpGetResult> {
  return new Promise<HttpGetResult>((resolve, reject) => {
    const agent = new Agent({ keepAlive: false });
    const req = request(url, { method: 'GET', agent, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        agent.destroy();
        const header = response.headers['x-backend-id'];
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          backendId: typeof header === 'string' ? header : undefined,
        });
      });
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', (error) => {
      agent.destroy();
      reject(error);
    });
    req.end();
  });
}
