import type { CliContext } from '../cli-context';
import { CliError, ExitCode } from '../exit-codes';
import { formatDuration } from '../format/text';
import type { ApiClient } from '../http/api-client';
import { deploymentView, isTerminal, type DeploymentView } from '../http/pipeline-schemas';
import { describeChanges, outcomeSentence } from './deployment-changes';
import { renderFrame } from './deployment-frame';
import { LiveScreen } from './live-screen';
import { toText } from './styled-line';

/** tty: a frame redrawn in place; plain: a line per change (logs); json: the view as one JSON line per change. */
export type WatchMode = 'tty' | 'plain' | 'json';

export interface WatchOptions {
  deploymentId: string;
  mode: WatchMode;
  color: boolean;
  intervalMs: number;
  /** Give up (exit 1) after this long; null: wait for the outcome. */
  timeoutMs: number | null;
}

/** Consecutive failed polls tolerated once the deployment was seen (a restarting pipeline, a network blip). */
const MAX_MISSED_POLLS = 10;

export async function fetchDeployment(client: ApiClient, id: string): Promise<DeploymentView> {
  return (await client.json('GET', `/deployments/${encodeURIComponent(id)}`, deploymentView)).body;
}

/** Follows a deployment until it finishes; returns its last view. Ctrl-C stops watching, not the deployment. */
export async function watchDeployment(
  ctx: CliContext,
  client: ApiClient,
  options: WatchOptions,
): Promise<DeploymentView> {
  const started = ctx.io.now();
  const screen = options.mode === 'tty' ? new LiveScreen(ctx.io.stdout) : null;
  let interrupted = false;
  let wake: () => void = () => undefined;
  const removeHandler = ctx.io.onInterrupt(() => {
    interrupted = true;
    wake();
  });
  let previous: DeploymentView | null = null;
  let missed = 0;
  try {
    for (;;) {
      let view: DeploymentView;
      try {
        view = await fetchDeployment(client, options.deploymentId);
        missed = 0;
      } catch (error) {
        const transient =
          error instanceof CliError &&
          (error.exitCode === ExitCode.unreachable || (error.status ?? 0) >= 500);
        if (!transient || previous === null || missed >= MAX_MISSED_POLLS) throw error;
        missed += 1;
        if (options.mode !== 'tty')
          ctx.note(`poll failed (${missed}/${MAX_MISSED_POLLS}), retrying: ${error.message}`);
        view = previous;
      }
      show(ctx, screen, options, previous, view);
      previous = view;
      if (isTerminal(view.status)) return view;
      if (interrupted) {
        throw new CliError(
          `stopped watching; deployment ${view.id} goes on (${view.status}): conveyor deploy status ${view.id} --watch`,
          ExitCode.interrupted,
        );
      }
      if (options.timeoutMs !== null && ctx.io.now() - started >= options.timeoutMs) {
        throw new CliError(
          `deployment ${view.id} is still ${view.status} after ${formatDuration(options.timeoutMs)}; stopped watching, the deployment goes on`,
          ExitCode.failure,
        );
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        void ctx.io.sleep(options.intervalMs).then(resolve);
      });
    }
  } finally {
    screen?.close();
    removeHandler();
  }
}

function show(
  ctx: CliContext,
  screen: LiveScreen | null,
  options: WatchOptions,
  previous: DeploymentView | null,
  view: DeploymentView,
): void {
  switch (options.mode) {
    case 'tty': {
      const { columns, rows } = ctx.io.stdout;
      let frame = renderFrame(view, ctx.io.now());
      if (frame.length >= rows) frame = renderFrame(view, ctx.io.now(), { compact: true });
      const lines = frame.map((line) =>
        toText(line, { color: options.color, width: Math.max(20, columns - 1) }),
      );
      screen?.draw(
        lines.length >= rows
          ? [...lines.slice(0, rows - 2), `… ${lines.length - rows + 2} more lines (enlarge the terminal)`]
          : lines,
      );
      return;
    }
    case 'plain':
      ctx.print(...describeChanges(previous, view));
      return;
    case 'json':
      if (previous === null || previous.updatedAt !== view.updatedAt || previous.status !== view.status)
        ctx.io.stdout.write(`${JSON.stringify(view)}\n`);
      return;
  }
}

/** The exit code of a watched deployment, and the sentence to end on. */
export function watchOutcome(view: DeploymentView): { exitCode: ExitCode; sentence: string } {
  return {
    exitCode: view.status === 'succeeded' ? ExitCode.ok : ExitCode.failure,
    sentence: outcomeSentence(view),
  };
}
