import { InvalidHaproxyArgumentError } from '../errors/haproxy-errors';

/** Administrative states accepted by `set server <b>/<s> state`. */
export type ServerAdminState = 'ready' | 'drain' | 'maint';

const SERVER_ADMIN_STATES: readonly ServerAdminState[] = ['ready', 'drain', 'maint'];

/**
 * Backend and server names go verbatim into a one-line command: a space, ";" (command
 * separator), "/" (backend/server separator), "#" or a control character would change its
 * meaning, so they are refused before anything is sent.
 */
export function assertSafeName(kind: 'backend' | 'server', name: string): void {
  if (name.length === 0) {
    throw new InvalidHaproxyArgumentError(kind, 'the name is empty');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s;/#\\\x00-\x1f\x7f]/.test(name)) {
    throw new InvalidHaproxyArgumentError(
      `${kind} "${name}"`,
      'names may not contain whitespace, control characters, ";", "/", "#" or "\\"',
    );
  }
}

function target(backend: string, server: string): string {
  assertSafeName('backend', backend);
  assertSafeName('server', server);
  return `${backend}/${server}`;
}

export function setServerStateCommand(backend: string, server: string, state: ServerAdminState): string {
  if (!SERVER_ADMIN_STATES.includes(state)) {
    throw new InvalidHaproxyArgumentError(`state "${String(state)}"`, 'expected ready, drain or maint');
  }
  return `set server ${target(backend, server)} state ${state}`;
}

/** Weight is an absolute 0..256 or a percentage of the initial weight ("50%"). */
export type ServerWeight = number | `${number}%`;

export function setWeightCommand(backend: string, server: string, weight: ServerWeight): string {
  if (typeof weight === 'number') {
    if (!Number.isInteger(weight) || weight < 0 || weight > 256) {
      throw new InvalidHaproxyArgumentError(
        `weight ${weight}`,
        'an absolute weight must be an integer in 0..256',
      );
    }
  } else if (!/^\d{1,3}%$/.test(weight) || Number(weight.slice(0, -1)) > 100) {
    throw new InvalidHaproxyArgumentError(`weight "${weight}"`, 'a relative weight must be "0%".."100%"');
  }
  return `set weight ${target(backend, server)} ${weight}`;
}

export function healthCommand(backend: string, server: string, enable: boolean): string {
  return `${enable ? 'enable' : 'disable'} health ${target(backend, server)}`;
}

export function agentCommand(backend: string, server: string, enable: boolean): string {
  return `${enable ? 'enable' : 'disable'} agent ${target(backend, server)}`;
}

export function shutdownSessionsCommand(backend: string, server: string): string {
  return `shutdown sessions server ${target(backend, server)}`;
}

export function showServersStateCommand(backend?: string): string {
  if (backend === undefined) return 'show servers state';
  assertSafeName('backend', backend);
  return `show servers state ${backend}`;
}

export const SHOW_STAT_COMMAND = 'show stat';

/** Refuses raw commands that would smuggle a second command or line. */
export function assertSingleCommand(command: string): void {
  if (command.trim().length === 0) {
    throw new InvalidHaproxyArgumentError('command', 'it is empty');
  }
  if (/[\r\n]/.test(command)) {
    throw new InvalidHaproxyArgumentError(`command "${command}"`, 'it must be a single line');
  }
}
