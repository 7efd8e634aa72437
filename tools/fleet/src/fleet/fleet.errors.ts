import type { AppHookName } from '@conveyor/contracts';

/** A hook exited non-zero, timed out or could not be started; `output` holds the end of its stdout+stderr. */
export class HookFailedError extends Error {
  override readonly name = 'HookFailedError';
  constructor(
    readonly serverId: string,
    readonly hook: AppHookName,
    readonly reason: string,
    readonly output: string,
  ) {
    super(`${serverId}: hook ${hook} ${reason}${output.trim() ? `; output:\n${output.trim()}` : ''}`);
  }
}

export class ReleaseError extends Error {
  override readonly name = 'ReleaseError';
}
