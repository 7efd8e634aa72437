import {
  HaproxyCommandError,
  HaproxyPermissionDeniedError,
  UnknownBackendError,
  UnknownServerError,
} from '../errors/haproxy-errors';

/** What the command was about, so an error can name it. */
export interface CommandContext {
  readonly command: string;
  readonly address: string;
  readonly backend?: string;
  readonly server?: string;
}

const UNKNOWN_BACKEND = /^(No such backend\.|Can't find backend\.|No such proxy\.)$/;
const UNKNOWN_SERVER = /^No such server\.$/;
const PERMISSION_DENIED = /^Permission denied\.?$/;

/**
 * Raises the typed error for answers HAProxy gives to any command it refuses
 * (unknown backend or server, permission denied, unknown command). Returns nothing when
 * the answer is none of these; the caller then decides what the answer means.
 */
export function raiseKnownFailure(response: string, context: CommandContext): void {
  const firstLine = response.trim().split('\n', 1)[0]?.trim() ?? '';
  if (PERMISSION_DENIED.test(firstLine)) {
    throw new HaproxyPermissionDeniedError(context.address, context.command);
  }
  if (UNKNOWN_BACKEND.test(firstLine)) {
    throw new UnknownBackendError(context.backend ?? '(unspecified)', context.command);
  }
  if (UNKNOWN_SERVER.test(firstLine)) {
    throw new UnknownServerError(
      context.backend ?? '(unspecified)',
      context.server ?? '(unspecified)',
      context.command,
    );
  }
  if (firstLine.startsWith('Unknown command')) {
    throw new HaproxyCommandError(context.command, firstLine);
  }
}

/**
 * A `set`/`enable`/`disable`/`shutdown` command succeeded only when HAProxy answered
 * nothing but blank lines; any text is an error carrying HAProxy's words.
 */
export function assertActionSucceeded(response: string, context: CommandContext): void {
  raiseKnownFailure(response, context);
  const text = response.trim();
  if (text.length > 0) {
    throw new HaproxyCommandError(context.command, text);
  }
}
