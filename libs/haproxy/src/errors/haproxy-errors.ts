/**
 * Typed failures of the HAProxy Runtime API client. Every message says what failed
 * and, where known, on which address, backend or server.
 */
export abstract class HaproxyError extends Error {
  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The socket could not be reached (no such file, connection refused, host unreachable…). */
export class HaproxyUnreachableError extends HaproxyError {
  constructor(
    readonly address: string,
    readonly causeCode: string | undefined,
    detail: string,
  ) {
    super(`HAProxy runtime socket ${address} is unreachable: ${detail}`);
  }
}

/** HAProxy did not finish answering in time. */
export class HaproxyTimeoutError extends HaproxyError {
  constructor(
    readonly address: string,
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`HAProxy runtime socket ${address} did not answer "${command}" within ${timeoutMs} ms`);
  }
}

/** HAProxy answered "No such backend." (or "Can't find backend." / "No such proxy."). */
export class UnknownBackendError extends HaproxyError {
  constructor(
    readonly backend: string,
    readonly command: string,
  ) {
    super(`HAProxy has no backend "${backend}" (command "${command}")`);
  }
}

/** HAProxy answered "No such server." */
export class UnknownServerError extends HaproxyError {
  constructor(
    readonly backend: string,
    readonly server: string,
    readonly command: string,
  ) {
    super(`HAProxy backend "${backend}" has no server "${server}" (command "${command}")`);
  }
}

/** The socket's level (user/operator) does not allow the command. */
export class HaproxyPermissionDeniedError extends HaproxyError {
  constructor(
    readonly address: string,
    readonly command: string,
  ) {
    super(
      `HAProxy refused "${command}" on ${address}: permission denied (the stats socket needs "level admin")`,
    );
  }
}

/** Any other answer that is not success; carries HAProxy's own text. */
export class HaproxyCommandError extends HaproxyError {
  constructor(
    readonly command: string,
    readonly response: string,
  ) {
    super(`HAProxy rejected "${command}": ${response}`);
  }
}

/** A caller passed something that cannot be sent safely (e.g. a name with ";" or spaces). */
export class InvalidHaproxyArgumentError extends HaproxyError {
  constructor(
    readonly argument: string,
    readonly reason: string,
  ) {
    super(`Invalid HAProxy runtime argument ${argument}: ${reason}`);
  }
}

/** HAProxy's answer did not have the expected shape. */
export class HaproxyParseError extends HaproxyError {
  constructor(
    readonly what: string,
    reason: string,
  ) {
    super(`Cannot parse HAProxy "${what}" output: ${reason}`);
  }
}

/** A server still had more sessions than allowed when the wait ran out. */
export class SessionWaitTimeoutError extends HaproxyError {
  constructor(
    readonly backend: string,
    readonly server: string,
    readonly lastSessions: number,
    readonly atMost: number,
    readonly timeoutMs: number,
  ) {
    super(
      `Server ${backend}/${server} still had ${lastSessions} session(s) (wanted at most ${atMost}) after ${timeoutMs} ms`,
    );
  }
}
