import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../cli-context';
import { formatDuration, table } from '../format/text';
import { controlAccepted, deploymentList, type DeploymentView } from '../http/pipeline-schemas';
import { STEP_LOOK } from '../watch/progress';
import { uuidArgument, wholeNumber } from './arguments';

const deploymentId = uuidArgument('deployment');

function reasonArgument(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('must say why');
  return value;
}

/** `conveyor deployments list|pause|resume|retry|abort|exclude-host`: the read model and the controls. */
export function registerDeploymentsCommands(program: Command, ctx: CliContext): void {
  const deployments = program
    .command('deployments')
    .description('deployments: list them and steer a running one');

  deployments
    .command('list')
    .description('deployments, most recently updated first')
    .option('--service <service>', 'only this service')
    .option('--environment <environment>', 'only this environment')
    .option('--limit <n>', 'at most this many (1-500)', wholeNumber(1, 500))
    .action(async (options: { service?: string; environment?: string; limit?: number }, command: Command) => {
      const { body } = await (
        await ctx.pipeline(command)
      ).json('GET', '/deployments', deploymentList, { query: { ...options } });
      ctx.output(command, body, () => (body.length === 0 ? ['no deployments'] : deploymentTable(body)));
    });

  const control = (name: 'pause' | 'resume' | 'retry', description: string) =>
    deployments
      .command(name)
      .description(description)
      .argument('<deployment>', 'deployment id', deploymentId)
      .action(async (id: string, _options: unknown, command: Command) => {
        const { body } = await (
          await ctx.pipeline(command)
        ).json('POST', `/deployments/${id}/${name}`, controlAccepted, { json: {} });
        ctx.output(command, body, () => [
          `${body.requested} sent for deployment ${body.deploymentId} (now ${body.status}); follow it: conveyor deploy status ${id} --watch`,
        ]);
      });
  control('pause', 'ask the orchestrator to pause once the batch under way is back online');
  control('resume', 'resume a paused rollout');
  control('retry', 'retry the failed step of a held rollout');

  deployments
    .command('abort')
    .description('ask the orchestrator to abort the rollout')
    .argument('<deployment>', 'deployment id', deploymentId)
    .requiredOption('--reason <text>', 'why (recorded in the audit log)', reasonArgument)
    .action(async (id: string, options: { reason: string }, command: Command) => {
      const { body } = await (
        await ctx.pipeline(command)
      ).json('POST', `/deployments/${id}/abort`, controlAccepted, { json: { reason: options.reason } });
      ctx.output(command, body, () => [
        `${body.requested} sent for deployment ${body.deploymentId} (now ${body.status})`,
      ]);
    });

  deployments
    .command('exclude-host')
    .description('leave one server out of the rest of the rollout')
    .argument('<deployment>', 'deployment id', deploymentId)
    .argument('<server>', 'the server id')
    .requiredOption('--reason <text>', 'why (recorded in the audit log)', reasonArgument)
    .action(async (id: string, serverId: string, options: { reason: string }, command: Command) => {
      const json = { serverId, reason: options.reason };
      const { body } = await (
        await ctx.pipeline(command)
      ).json('POST', `/deployments/${id}/exclude-host`, controlAccepted, { json });
      ctx.output(command, body, () => [
        `${body.requested} sent: ${serverId} leaves deployment ${body.deploymentId}`,
      ]);
    });
}

/** One row per deployment: what, where, status, progress. Pure. */
export function deploymentTable(views: readonly DeploymentView[]): string[] {
  return table([
    ['DEPLOYMENT', 'SERVICE', 'VERSION', 'ENV', 'STATUS', 'ONLINE', 'TOOK', 'UPDATED'],
    ...views.map((d) => {
      const servers = Object.values(d.servers);
      const done = servers.filter((s) => STEP_LOOK[s.step].progress === 1).length;
      return [
        d.id,
        d.service ?? '?',
        d.version ?? '?',
        d.environment ?? '?',
        d.status,
        servers.length === 0 ? '-' : `${done}/${servers.length}`,
        d.durationMs === null ? '' : formatDuration(d.durationMs),
        d.updatedAt,
      ];
    }),
  ]);
}
