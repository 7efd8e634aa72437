import { InvalidHaproxyArgumentError } from '../errors/haproxy-errors';

/** Where the HAProxy Runtime API listens. */
export type RuntimeAddress =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/**
 * Parses a runtime socket address:
 * - `unix:/path/admin.sock` or any absolute path `/path/admin.sock` → unix socket;
 * - `tcp://host:port`, `ipv4@host:port` or `host:port` → TCP (`[::1]:9999` for IPv6).
 */
export function parseRuntimeAddress(input: string): RuntimeAddress {
  const text = input.trim();
  if (text.length === 0) {
    throw new InvalidHaproxyArgumentError('address', 'it is empty');
  }
  if (text.startsWith('unix:')) {
    return unixAddress(text.slice('unix:'.length), input);
  }
  if (text.startsWith('/')) {
    return unixAddress(text, input);
  }
  const hostPort = text.replace(/^tcp:\/\//, '').replace(/^ipv[46]@/, '');
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(hostPort);
  if (!match) {
    throw new InvalidHaproxyArgumentError(
      `address "${input}"`,
      'expected a unix socket path (/path or unix:/path) or host:port',
    );
  }
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidHaproxyArgumentError(`address "${input}"`, `port ${match[2]} is not in 1..65535`);
  }
  const host = match[1].replace(/^\[(.*)\]$/, '$1');
  return { kind: 'tcp', host, port };
}

function unixAddress(path: string, input: string): RuntimeAddress {
  if (!path.startsWith('/')) {
    throw new InvalidHaproxyArgumentError(`address "${input}"`, 'a unix socket path must be absolute');
  }
  return { kind: 'unix', path };
}

/** Human-readable form used in error messages. */
export function describeRuntimeAddress(address: RuntimeAddress): string {
  return address.kind === 'unix'
    ? `unix:${address.path}`
    : `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
