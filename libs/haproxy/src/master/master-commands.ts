import { InvalidHaproxyArgumentError } from '../errors/haproxy-errors';
import { assertSingleCommand } from '../commands/runtime-commands';

/** `@!<pid> <command>`: the master CLI forwards the command to that worker (current or old). */
export function workerCommand(pid: number, command: string): string {
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new InvalidHaproxyArgumentError(`pid ${pid}`, 'must be a positive integer');
  }
  assertSingleCommand(command);
  if (command.trim().startsWith('@') || command.includes(';')) {
    // "@!1 show stat; reload" would run the second command on the master itself.
    throw new InvalidHaproxyArgumentError(
      `command "${command}"`,
      'must be one command for one worker (no "@" prefix, no ";")',
    );
  }
  return `@!${pid} ${command}`;
}

/** The master's answer when the addressed worker no longer exists (it finished and exited). */
export function isWorkerGone(response: string): boolean {
  return response.startsWith("Can't find the target PID");
}
