export interface AbortWatchOptions {
  deploymentId: string;
  intervalMs: number;
  /** The abort reason recorded for the deployment, if any. */
  lookup(deploymentId: string): Promise<string | undefined>;
  describe(reason: string): string;
  /** Shutdown of this runner: also aborts the returned signal. */
  stop: AbortSignal;
}

/**
 * A signal that aborts when `deployment.aborted` has been recorded for the deployment (any
 * instance may have consumed it: the record is in the database) or when the runner stops.
 */
export function watchDeploymentAbort(options: AbortWatchOptions): { signal: AbortSignal; close(): void } {
  const controller = new AbortController();
  const onStop = (): void => controller.abort(options.stop.reason);
  options.stop.addEventListener('abort', onStop, { once: true });
  let checking = false;
  const timer = setInterval(() => {
    if (checking || controller.signal.aborted) return;
    checking = true;
    options
      .lookup(options.deploymentId)
      .then((reason) => {
        if (reason !== undefined) controller.abort(new Error(options.describe(reason)));
      })
      .catch(() => undefined) // the database is unreachable for now: look again at the next tick
      .finally(() => {
        checking = false;
      });
  }, options.intervalMs);
  return {
    signal: controller.signal,
    close(): void {
      clearInterval(timer);
      options.stop.removeEventListener('abort', onStop);
    },
  };
}
