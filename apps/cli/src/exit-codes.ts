/**
 * Exit codes scripts can trust (documented in the README):
 * 0 ok · 1 failed or refused · 2 usage or configuration error · 3 not found · 4 authentication or
 * authorisation · 5 the service cannot be reached · 130 interrupted.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  auth: 4,
  unreachable: 5,
  /** Ctrl-C while watching (128 + SIGINT), the shell's convention. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports in one sentence (plus details) and turns into an exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** Further lines: e.g. every problem of a 400. */
    readonly details: readonly string[] = [],
    /** The HTTP status that caused it, when there was one. */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export const usageError = (message: string, details: readonly string[] = []) =>
  new CliError(message, ExitCode.usage, details);
export const failure = (message: string, details: readonly string[] = []) =>
  new CliError(message, ExitCode.failure, details);
