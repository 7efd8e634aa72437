/**
 * The message of anything thrown, for logs and for the reasons Conveyor reports. Duck-typed:
 * errors from another realm (undici's fetch, jest's sandbox, a worker) fail `instanceof Error`.
 */
export function errorMessage(thrown: unknown): string {
  if (
    typeof thrown === 'object' &&
    thrown !== null &&
    typeof (thrown as { message?: unknown }).message === 'string'
  ) {
    return (thrown as { message: string }).message;
  }
  return String(thrown);
}

/**
 * The message and its cause's: fetch says only "fetch failed" and hides the reason a user needs
 * (ECONNREFUSED, a certificate error) in `cause`.
 */
export function describeError(thrown: unknown): string {
  const message = errorMessage(thrown);
  const cause =
    typeof thrown === 'object' && thrown !== null ? (thrown as { cause?: unknown }).cause : undefined;
  return cause === undefined ? message : `${message}: ${errorMessage(cause)}`;
}
