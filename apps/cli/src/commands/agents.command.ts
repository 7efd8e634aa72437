import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../cli-context';
import { agentsAnswer, describeAgents, factsQuery } from '../format/agents-format';

function factPairs(value: string, previous: string[] = []): string[] {
  for (const pair of value.split(',')) {
    if (pair.trim() !== '' && !/^[^=]+=[^=]*$/.test(pair.trim()))
      throw new InvalidArgumentError(`"${pair}" is not key=value`);
  }
  return [...previous, value];
}

/** `conveyor agents [--facts k=v]…`: discovery, from the orchestrator. */
export function registerAgentsCommands(program: Command, ctx: CliContext): void {
  program
    .command('agents')
    .description('the agents the orchestrator hears: facts, version, last heartbeat, silent ones marked')
    .option('--facts <key=value>', 'only agents with these facts (repeat, or a,b); all must match', factPairs)
    .action(async (options: { facts?: string[] }, command: Command) => {
      const client = await ctx.client(command, 'orchestrator');
      const facts = factsQuery(options.facts ?? []);
      const { body } = await client.json('GET', '/agents', agentsAnswer, {
        query: facts === undefined ? {} : { facts },
      });
      ctx.output(command, body, () => describeAgents(body));
    });
}
