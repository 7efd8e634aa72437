import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { conveyor } from './testing/cli-process';

/**
 * The audit service and the pool manager authenticate people with the tokens the pipeline
 * issued: the CLI sends the person's token there too. A stand-in HTTP server records what arrives.
 */
describe('conveyor sends the person’s token to every service', () => {
  let server: Server;
  let url: string;
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ path: request.url ?? '', headers: request.headers });
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ statusCode: 401, message: 'unknown or revoked API token' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('`pools` sends CONVEYOR_TOKEN to the pool manager and exits 4 on a 401', async () => {
    const run = await conveyor(['pools'], { CONVEYOR_POOLS_URL: url, CONVEYOR_TOKEN: 'cvy_operator' });
    expect(seen.map((s) => [s.path, s.headers.authorization])).toEqual([['/pools', 'Bearer cvy_operator']]);
    expect(run.code).toBe(4);
  });

  it('`pools` without any token stops before calling, naming the setting', async () => {
    const run = await conveyor(['pools'], { CONVEYOR_POOLS_URL: url });
    expect(seen).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no API token: give --token, set CONVEYOR_TOKEN');
  });

  it('`audit export` sends CONVEYOR_AUDIT_TOKEN when given, else CONVEYOR_TOKEN', async () => {
    await conveyor(['audit', 'export', '-o', '/dev/null'], {
      CONVEYOR_AUDIT_URL: url,
      CONVEYOR_TOKEN: 'cvy_person',
      CONVEYOR_AUDIT_TOKEN: 'cvy_auditor',
    });
    await conveyor(['audit', 'export', '-o', '/dev/null'], {
      CONVEYOR_AUDIT_URL: url,
      CONVEYOR_TOKEN: 'cvy_person',
    });
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer cvy_auditor', 'Bearer cvy_person']);
  });
});
