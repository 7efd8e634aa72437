import { CliError, ExitCode } from '../exit-codes';

/** Which service a client talks to: named in every error so the user knows where to look. */
export type ServiceName = 'pipeline' | 'audit service' | 'pool manager' | 'orchestrator';

/**
 * The reason an API gave, from its error body: `message` (a sentence, or NestJS's list) and
 * `problems` (service-kit's validation pipe: `"path: message"` strings, the same in every service).
 */
export function reasonsFrom(body: unknown): { message: string | null; problems: string[] } {
  if (typeof body === 'string')
    return { message: body.trim() === '' ? null : body.trim().slice(0, 500), problems: [] };
  if (typeof body !== 'object' || body === null) return { message: null, problems: [] };
  const record = body as Record<string, unknown>;
  const problems: string[] = [];
  if (Array.isArray(record['problems'])) {
    problems.push(...record['problems'].filter((problem): problem is string => typeof problem === 'string'));
  }
  const rawMessage = record['message'];
  let message: string | null = null;
  if (typeof rawMessage === 'string') message = rawMessage;
  else if (Array.isArray(rawMessage) && problems.length === 0)
    problems.push(...rawMessage.filter((m): m is string => typeof m === 'string'));
  if (message === null && typeof record['error'] === 'string') message = record['error'];
  return { message, problems };
}

/** A 403 that is a business refusal (separation of duties), not a missing permission. */
const isSeparationOfDuties = (message: string | null) =>
  message !== null && /^separation of duties\b/i.test(message);

/** The CliError for a non-2xx answer: the API's reason, and the exit code a script can act on. */
export function errorFromResponse(
  service: ServiceName,
  request: string,
  status: number,
  body: unknown,
): CliError {
  const { message, problems } = reasonsFrom(body);
  const reason = message ?? `HTTP ${status}`;
  switch (true) {
    case status === 400:
      return new CliError(
        `the ${service} refused ${request}: ${message ?? 'invalid request'}`,
        ExitCode.failure,
        problems,
        status,
      );
    case status === 401:
      return new CliError(`not authenticated by the ${service}: ${reason}`, ExitCode.auth, problems, status);
    case status === 403 && isSeparationOfDuties(message):
      return new CliError(`refused: ${reason}`, ExitCode.failure, problems, status);
    case status === 403:
      return new CliError(`not allowed by the ${service}: ${reason}`, ExitCode.auth, problems, status);
    case status === 404:
      return new CliError(`not found: ${message ?? request}`, ExitCode.notFound, problems, status);
    case status === 409 || status === 422:
      return new CliError(`refused: ${reason}`, ExitCode.failure, problems, status);
    case status >= 500:
      return new CliError(
        `the ${service} failed on ${request} (HTTP ${status})${message === null ? '' : `: ${message}`}`,
        ExitCode.failure,
        problems,
        status,
      );
    default:
      return new CliError(
        `the ${service} answered ${request} with HTTP ${status}${message === null ? '' : `: ${message}`}`,
        ExitCode.failure,
        problems,
        status,
      );
  }
}

/** The CliError when fetch itself failed: the service is down, the name does not resolve, or it did not answer in time. */
export function errorFromNetworkFailure(
  service: ServiceName,
  baseUrl: string,
  error: unknown,
  timeoutMs: number,
): CliError {
  const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : null;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new CliError(
      `no answer from the ${service} at ${baseUrl} within ${Math.round(timeoutMs / 1000)} s`,
      ExitCode.unreachable,
    );
  }
  return new CliError(
    `cannot reach the ${service} at ${baseUrl}: ${networkCause(error)}`,
    ExitCode.unreachable,
  );
}

function networkCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const nested: unknown = (cause as Error & { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested[0] instanceof Error) return nested[0].message;
    return cause.message;
  }
  return error.message;
}
