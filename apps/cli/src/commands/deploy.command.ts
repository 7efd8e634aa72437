import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { describeChanges } from '../watch/deployment-changes';
import { renderFrame } from '../watch/deployment-frame';
import { toText } from '../watch/styled-line';
import { fetchDeployment, watchDeployment, watchOutcome, type WatchMode } from '../watch/watch-deployment';
import { positiveSeconds, uuidArgument } from './arguments';

interface StatusOptions {
  watch?: boolean;
  interval: number;
  timeout?: number;
  plain?: boolean;
}

/** `conveyor deploy status <id> [--watch]`: a deployment's progress, live in a terminal, a line per change in logs. */
export function registerDeployCommands(program: Command, ctx: CliContext): void {
  const deploy = program.command('deploy').description('follow a deployment');
  deploy
    .command('status')
    .description(
      "a deployment: batches, each server's step, the outcome. --watch follows it to the end (exit 0 succeeded, 1 failed, rolled back, aborted or rejected)",
    )
    .argument('<deployment>', 'deployment id', uuidArgument('deployment'))
    .option('-w, --watch', 'follow until the deployment finishes')
    .option('--interval <seconds>', 'seconds between polls while watching', positiveSeconds, 1)
    .option(
      '--timeout <seconds>',
      'stop watching after this long (exit 1); the deployment goes on',
      positiveSeconds,
    )
    .option('--plain', 'a line per change even on a terminal')
    .action(async (id: string, options: StatusOptions, command: Command) => {
      const client = await ctx.pipeline(command);
      const json = ctx.wantsJson(command);
      const tty = ctx.io.stdout.isTTY && options.plain !== true && !json;
      const color = tty && ctx.io.env['NO_COLOR'] === undefined && ctx.io.env['TERM'] !== 'dumb';
      if (options.watch !== true) {
        const view = await fetchDeployment(client, id);
        if (json) return ctx.printJson(view);
        const lines = tty
          ? renderFrame(view, ctx.io.now()).map((line) =>
              toText(line, { color, width: Math.max(20, ctx.io.stdout.columns - 1) }),
            )
          : describeChanges(null, view);
        return ctx.print(...lines);
      }
      const mode: WatchMode = json ? 'json' : tty ? 'tty' : 'plain';
      const view = await watchDeployment(ctx, client, {
        deploymentId: id,
        mode,
        color,
        intervalMs: options.interval * 1000,
        timeoutMs: options.timeout === undefined ? null : options.timeout * 1000,
      });
      const outcome = watchOutcome(view);
      ctx.exitCode = outcome.exitCode;
      if (mode === 'json' && outcome.exitCode !== 0) ctx.note(outcome.sentence);
    });
}
