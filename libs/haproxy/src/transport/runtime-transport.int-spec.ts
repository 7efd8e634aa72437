import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HaproxyRuntimeClient } from '../client/haproxy-runtime-client';
import { HaproxyTimeoutError, HaproxyUnreachableError } from '../errors/haproxy-errors';

/**
 * Transport behaviour on real sockets. Behaviour against a real HAProxy (states, unknown
 * backend/server, permission, timeouts of a frozen HAProxy) is tested in
 * libs/testing/src/haproxy/haproxy-client.int-spec.ts, next to the harness that starts it
 * (this lib may not depend on libs/testing).
 */
describe('runtime transport', () => {
  let directory: string;
  const servers: Server[] = [];
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'conveyor-haproxy-transport-'));
  });

  afterEach(async () => {
    sockets.forEach((socket) => socket.destroy());
    sockets.clear();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  function listen(path: string, onConnection: (socket: Socket) => void): Promise<void> {
    const server = createServer((socket) => {
      sockets.add(socket);
      onConnection(socket);
    });
    servers.push(server);
    return new Promise((resolve) => server.listen(path, resolve));
  }

  it('names the unix socket that does not exist', async () => {
    const path = join(directory, 'missing.sock');
    const client = new HaproxyRuntimeClient({ address: path, timeoutMs: 1000 });
    const attempt = client.showStat();
    await expect(attempt).rejects.toThrow(HaproxyUnreachableError);
    await expect(client.showStat()).rejects.toThrow(`HAProxy runtime socket unix:${path} is unreachable`);
    await expect(client.showStat()).rejects.toMatchObject({ causeCode: 'ENOENT' });
  });

  it('names the TCP address that refuses connections', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const client = new HaproxyRuntimeClient({ address: `127.0.0.1:${closedPort}`, timeoutMs: 1000 });
    await expect(client.setServerState('be', 's1', 'maint')).rejects.toThrow(
      new HaproxyUnreachableError(
        `127.0.0.1:${closedPort}`,
        'ECONNREFUSED',
        `connect ECONNREFUSED 127.0.0.1:${closedPort}`,
      ),
    );
  });

  it('times out when the socket accepts but never answers', async () => {
    const path = join(directory, 'silent.sock');
    await listen(path, () => undefined);
    const client = new HaproxyRuntimeClient({ address: path, timeoutMs: 150 });
    await expect(client.command('show info')).rejects.toThrow(HaproxyTimeoutError);
    await expect(client.command('show info')).rejects.toThrow(`did not answer "show info" within 150 ms`);
  });

  it('sends one line and reads an answer written in several pieces until close', async () => {
    const path = join(directory, 'chunked.sock');
    const received: string[] = [];
    await listen(path, (socket) => {
      socket.once('data', (data) => {
        received.push(data.toString());
        socket.write('part one, ');
        setTimeout(() => socket.end('part two\n\n'), 20);
      });
    });
    const client = new HaproxyRuntimeClient({ address: `unix:${path}`, timeoutMs: 1000 });
    await expect(client.command('show info')).resolves.toBe('part one, part two\n\n');
    expect(received).toEqual(['show info\n']);
  });

  it('counts a connection closed without a byte as HAProxy unreachable, not as an empty answer', async () => {
    const path = join(directory, 'leaving.sock');
    await listen(path, (socket) => socket.once('data', () => socket.end()));
    const client = new HaproxyRuntimeClient({ address: path, timeoutMs: 1000 });
    await expect(client.showStat()).rejects.toThrow(HaproxyUnreachableError);
    await expect(client.command('show info')).rejects.toThrow(
      `HAProxy runtime socket unix:${path} is unreachable: closed the connection without answering "show info"`,
    );
  });
});
