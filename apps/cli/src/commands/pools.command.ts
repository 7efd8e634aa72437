import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { ExitCode } from '../exit-codes';
import { describePools, poolsAnswer, type PoolsAnswer } from '../format/pools-format';
import { LiveScreen } from '../watch/live-screen';
import { positiveSeconds } from './arguments';

/** `conveyor pools [--watch]`: the live HAProxy view from the pool manager. */
export function registerPoolsCommands(program: Command, ctx: CliContext): void {
  program
    .command('pools')
    .description(
      'the live HAProxy view: every pool, instance, backend and server, its sessions and intended state',
    )
    .option('--pool <name>', 'only this pool')
    .option('-w, --watch', 'refresh until Ctrl-C')
    .option('--interval <seconds>', 'seconds between refreshes while watching', positiveSeconds, 2)
    .action(async (options: { pool?: string; watch?: boolean; interval: number }, command: Command) => {
      const client = await ctx.client(command, 'pools');
      const fetchPools = async (): Promise<PoolsAnswer> => {
        const { body } = await client.json('GET', '/pools', poolsAnswer);
        return options.pool === undefined
          ? body
          : { ...body, pools: body.pools.filter((p) => p.pool === options.pool) };
      };
      if (options.watch !== true) {
        const answer = await fetchPools();
        return ctx.output(command, answer, () => describePools(answer));
      }
      await watchPools(ctx, command, fetchPools, options.interval * 1000);
    });
}

async function watchPools(
  ctx: CliContext,
  command: Command,
  fetchPools: () => Promise<PoolsAnswer>,
  intervalMs: number,
): Promise<void> {
  const json = ctx.wantsJson(command);
  const screen = ctx.io.stdout.isTTY && !json ? new LiveScreen(ctx.io.stdout) : null;
  let stopped = false;
  let wake: () => void = () => undefined;
  const remove = ctx.io.onInterrupt(() => {
    stopped = true;
    wake();
  });
  let last = '';
  try {
    while (!stopped) {
      const answer = await fetchPools();
      const lines = describePools(answer);
      if (screen !== null) {
        screen.draw([
          ...lines,
          '',
          `refreshed ${new Date(ctx.io.now()).toISOString().slice(11, 19)}Z · Ctrl-C to stop`,
        ]);
      } else {
        const text = json ? JSON.stringify(answer) : lines.join('\n');
        if (text !== last) ctx.print(json ? text : `${new Date(ctx.io.now()).toISOString()}\n${text}`);
        last = text;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        void ctx.io.sleep(intervalMs).then(resolve);
      });
    }
  } finally {
    screen?.close();
    remove();
  }
  ctx.exitCode = ExitCode.ok;
}
