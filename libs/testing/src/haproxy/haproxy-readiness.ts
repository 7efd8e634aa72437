import { errorMessage } from '@conveyor/errors';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HaproxyRuntimeClient } from '@conveyor/haproxy';
import type { HaproxyProcess } from './haproxy-process';

function canConnect(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits until HAProxy accepts connections on every frontend port and its admin socket
 * answers `show info`. Fails early, with HAProxy's output, if the process exits.
 */
export async function waitUntilReady(
  process: HaproxyProcess,
  ports: readonly number[],
  client: HaproxyRuntimeClient,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: string | undefined;
  void process.exited.then((how) => {
    exitedWith = how;
  });
  let lastProblem = 'not started';
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new Error(
        `HAProxy (pid ${process.pid}) exited during start-up (${exitedWith}):\n${process.output()}`,
      );
    }
    const portsOpen = await Promise.all(ports.map(canConnect));
    if (portsOpen.every(Boolean)) {
      try {
        const info = await client.command('show info', { timeoutMs: 500 });
        if (info.includes('Pid:')) return;
        lastProblem = `admin socket answered: ${info.slice(0, 200)}`;
      } catch (error) {
        lastProblem = errorMessage(error);
      }
    } else {
      lastProblem = `ports not accepting yet: ${ports.filter((_, index) => !portsOpen[index]).join(', ')}`;
    }
    await sleep(25);
  }
  throw new Error(
    `HAProxy (pid ${process.pid}) not ready after ${timeoutMs} ms (${lastProblem}):\n${process.output()}`,
  );
}
