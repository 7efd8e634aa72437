import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../cli-context';
import { describePlan, describePromotion } from '../format/promotion-format';
import { table } from '../format/text';
import { promotion, promotionList, promotionPlan } from '../http/pipeline-schemas';
import { oneOf, uuidArgument, wholeNumber } from './arguments';

const promotionId = uuidArgument('promotion');

function sha256Argument(what: string): (value: string) => string {
  return (value) => {
    if (!/^[0-9a-f]{64}$/i.test(value)) throw new InvalidArgumentError(`must be ${what} (64 hex characters)`);
    return value.toLowerCase();
  };
}

/** `conveyor promote`, `plan`, `approve` and `promotions list|show`. */
export function registerPromotionCommands(program: Command, ctx: CliContext): void {
  program
    .command('promote')
    .description('promote a version to an environment (it must have succeeded in the one before)')
    .argument('<service>', 'service name')
    .argument('<version>', 'the version to promote')
    .requiredOption('--to <environment>', 'the environment to promote to')
    .action(async (service: string, version: string, options: { to: string }, command: Command) => {
      const { status, body } = await (
        await ctx.pipeline(command)
      ).json('POST', '/promotions', promotion, { json: { service, version, environment: options.to } });
      if (!ctx.wantsJson(command) && status === 200)
        ctx.note('a promotion of this version to this environment is already open: showing it');
      ctx.output(command, body, () => describePromotion(body));
    });

  program
    .command('plan')
    .description('the dry-run plan of a promotion, and the plan hash approvals are bound to')
    .argument('<promotion>', 'promotion id', promotionId)
    .action(async (id: string, _options: unknown, command: Command) => {
      const { body } = await (
        await ctx.pipeline(command)
      ).json('GET', `/promotions/${id}/plan`, promotionPlan);
      ctx.output(command, body, () => describePlan(body));
    });

  program
    .command('approve')
    .description(
      'approve a promotion, bound to the plan and the artifact you reviewed (conveyor plan <promotion>)',
    )
    .argument('<promotion>', 'promotion id', promotionId)
    .requiredOption(
      '--plan-hash <hash>',
      'the plan hash shown by conveyor plan',
      sha256Argument('the plan hash of conveyor plan'),
    )
    .requiredOption(
      '--artifact-sha256 <hex>',
      'the artifact sha256 shown by conveyor plan (the pipeline refuses another one)',
      sha256Argument('the artifact sha256 of conveyor plan'),
    )
    .option('--comment <text>', 'e.g. the change ticket')
    .action(
      async (
        id: string,
        options: { planHash: string; artifactSha256: string; comment?: string },
        command: Command,
      ) => {
        const json = {
          planHash: options.planHash,
          artifactSha256: options.artifactSha256,
          comment: options.comment,
        };
        const { body } = await (
          await ctx.pipeline(command)
        ).json('POST', `/promotions/${id}/approvals`, promotion, { json });
        ctx.output(command, body, () => describePromotion(body));
      },
    );

  const promotions = program.command('promotions').description('promotions and their approvals');
  promotions
    .command('list')
    .description('promotions, newest first')
    .option('--service <service>', 'only this service')
    .option(
      '--status <status>',
      'awaiting_approval, deploying, succeeded or failed',
      oneOf(['awaiting_approval', 'deploying', 'succeeded', 'failed'] as const),
    )
    .option('--limit <n>', 'at most this many (1-500)', wholeNumber(1, 500))
    .action(async (options: { service?: string; status?: string; limit?: number }, command: Command) => {
      const { body } = await (
        await ctx.pipeline(command)
      ).json('GET', '/promotions', promotionList, { query: { ...options } });
      ctx.output(command, body, () =>
        body.length === 0
          ? ['no promotions']
          : table([
              ['PROMOTION', 'SERVICE', 'VERSION', 'TO', 'STATUS', 'APPROVALS', 'DEPLOYMENT'],
              ...body.map((p) => [
                p.id,
                p.service,
                p.version,
                p.toEnvironment,
                p.status,
                p.approvals.required === 0 ? '-' : `${p.approvals.valid.length}/${p.approvals.required}`,
                p.deploymentId ?? '',
              ]),
            ]),
      );
    });
  promotions
    .command('show')
    .description('a promotion with its approvals: which count, which were voided and why')
    .argument('<promotion>', 'promotion id', promotionId)
    .action(async (id: string, _options: unknown, command: Command) => {
      const { body } = await (await ctx.pipeline(command)).json('GET', `/promotions/${id}`, promotion);
      ctx.output(command, body, () => describePromotion(body));
    });
}
