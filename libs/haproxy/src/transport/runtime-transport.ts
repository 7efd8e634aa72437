import { createConnection, type Socket } from 'node:net';
import { describeRuntimeAddress, type RuntimeAddress } from '../address/runtime-address';
import { HaproxyTimeoutError, HaproxyUnreachableError } from '../errors/haproxy-errors';

/**
 * Sends one command over a fresh connection and resolves with everything HAProxy wrote
 * before closing (non-interactive mode: HAProxy answers, then closes).
 * The timeout covers connecting, sending and reading the whole answer. `halfClose` ends the
 * sending side after the command (the master CLI answers only then).
 *
 * The stats socket answers every command with at least a newline, so a connection closed with
 * no byte at all is HAProxy going away mid-command (killed, or an old process leaving after a
 * reload): that rejects as unreachable, never as an empty answer to parse. The master CLI may
 * close silently (on `reload`), so with `halfClose` an empty answer is passed on.
 */
export function sendRuntimeCommand(
  address: RuntimeAddress,
  command: string,
  timeoutMs: number,
  options: { halfClose?: boolean } = {},
): Promise<string> {
  const described = describeRuntimeAddress(address);
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    let connected = false;
    const socket: Socket =
      address.kind === 'unix'
        ? createConnection({ path: address.path })
        : createConnection({ host: address.host, port: address.port });

    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const timer = setTimeout(
      () => finish(() => reject(new HaproxyTimeoutError(described, command, timeoutMs))),
      timeoutMs,
    );

    socket.setNoDelay?.(true);
    socket.on('connect', () => {
      connected = true;
      // The stats socket answers the line and closes the connection itself (no half-close needed);
      // the master CLI waits for the end of the input before it answers and closes.
      if (options.halfClose) socket.end(`${command}\n`);
      else socket.write(`${command}\n`);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const answered = (): void =>
      finish(() => {
        if (chunks.length === 0 && !options.halfClose) {
          reject(
            new HaproxyUnreachableError(
              described,
              undefined,
              `closed the connection without answering "${command}"`,
            ),
          );
        } else {
          resolve(Buffer.concat(chunks).toString('utf8'));
        }
      });
    socket.on('end', answered);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (connected && error.code === 'EPIPE') {
        return; // HAProxy closed early; the 'end'/'close' event carries what it said.
      }
      finish(() =>
        reject(
          connected
            ? new HaproxyUnreachableError(
                described,
                error.code,
                `connection failed while talking: ${error.message}`,
              )
            : new HaproxyUnreachableError(described, error.code, error.message),
        ),
      );
    });
    socket.on('close', answered);
  });
}
