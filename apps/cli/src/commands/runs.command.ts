import { errorMessage } from '@conveyor/errors';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError, ExitCode } from '../exit-codes';
import { table } from '../format/text';
import { artifactPublished, run, runList, stageReported } from '../http/pipeline-schemas';
import { isoTimeArgument, oneOf, uuidArgument, wholeNumber } from './arguments';

interface CreateOptions {
  service: string;
  version: string;
  commit: string;
  branch: string;
  jobUrl?: string;
  buildNumber?: number;
  committedAt?: string;
}
interface StageOptions {
  name: string;
  status: 'running' | 'succeeded' | 'failed' | 'skipped';
  environment?: string;
  startedAt?: string;
  finishedAt?: string;
  testsTotal?: number;
  testsFailed?: number;
  testsSkipped?: number;
}
interface ArtifactOptions {
  artifactUrl: string;
  sha256?: string;
  size?: number;
  file?: string;
  version?: string;
}

const runId = uuidArgument('run');

/** `conveyor runs create|stage|artifact|list|show`: what Jenkins reports. Every report is idempotent. */
export function registerRunsCommands(program: Command, ctx: CliContext): void {
  const runs = program
    .command('runs')
    .description('pipeline runs, stages and artifacts (what Jenkins reports)');

  runs
    .command('create')
    .description('report a build; prints the run id (the same build again is the same run)')
    .requiredOption('--service <service>', 'service name')
    .requiredOption('--version <version>', 'the version this build produces')
    .requiredOption('--commit <sha>', 'git commit hash')
    .requiredOption('--branch <branch>', 'git branch')
    .option('--job-url <url>', 'the Jenkins job URL (e.g. $BUILD_URL)')
    .option('--build-number <n>', 'the Jenkins build number (e.g. $BUILD_NUMBER)', wholeNumber())
    .option(
      '--committed-at <time>',
      'when the commit was made (ISO-8601): the start of the DORA lead time',
      isoTimeArgument,
    )
    .action(async (options: CreateOptions, command: Command) => {
      const { service, version, commit, branch, jobUrl, buildNumber, committedAt } = options;
      const { status, body } = await (
        await ctx.pipeline(command)
      ).json('POST', '/runs', run, {
        json: { service, version, commit, branch, jobUrl, buildNumber, committedAt },
      });
      if (ctx.wantsJson(command)) return ctx.printJson(body);
      ctx.note(
        status === 201
          ? `created run of ${body.service} ${body.version}`
          : `this build was already reported: the same run`,
      );
      ctx.print(body.id);
    });

  runs
    .command('stage')
    .argument('<run>', 'the run id (from runs create)', runId)
    .description('report a stage of a run: status, times, test totals')
    .requiredOption('--name <name>', 'stage name, e.g. "unit tests"')
    .requiredOption(
      '--status <status>',
      'running, succeeded, failed or skipped',
      oneOf(['running', 'succeeded', 'failed', 'skipped'] as const),
    )
    .option('--environment <environment>', 'the environment the stage ran against')
    .option('--started-at <time>', 'ISO-8601', isoTimeArgument)
    .option('--finished-at <time>', 'ISO-8601', isoTimeArgument)
    .option('--tests-total <n>', 'tests run', wholeNumber())
    .option('--tests-failed <n>', 'tests failed', wholeNumber())
    .option('--tests-skipped <n>', 'tests skipped', wholeNumber())
    .action(async (id: string, options: StageOptions, command: Command) => {
      const counts = [options.testsTotal, options.testsFailed, options.testsSkipped];
      const tests = counts.every((c) => c === undefined)
        ? undefined
        : {
            total: options.testsTotal ?? 0,
            failed: options.testsFailed ?? 0,
            skipped: options.testsSkipped ?? 0,
          };
      const body = {
        name: options.name,
        status: options.status,
        environment: options.environment,
        startedAt: options.startedAt,
        finishedAt: options.finishedAt,
        tests,
      };
      const answer = await (
        await ctx.pipeline(command)
      ).json('POST', `/runs/${id}/stages`, stageReported, { json: body });
      ctx.output(command, answer.body, () => [
        `stage "${answer.body.stage.name}" ${answer.body.stage.status} (${answer.body.outcome})`,
      ]);
    });

  runs
    .command('artifact')
    .argument('<run>', 'the run id (from runs create)', runId)
    .description('publish the artifact of a run: URL, sha256 and size (or --file to compute them)')
    .requiredOption('--artifact-url <url>', 'where agents download it')
    .option('--sha256 <hex>', 'SHA-256 of the artifact')
    .option('--size <bytes>', 'size in bytes', wholeNumber())
    .option('--file <path>', 'the artifact file: computes --sha256 and --size')
    .option('--version <version>', "must be the run's version (default)")
    .action(async (id: string, options: ArtifactOptions, command: Command) => {
      const local = options.file === undefined ? null : await digestFile(options.file);
      if (local !== null && options.sha256 !== undefined && options.sha256.toLowerCase() !== local.sha256) {
        throw new CliError(
          `--sha256 ${options.sha256} is not the SHA-256 of ${options.file} (${local.sha256})`,
          ExitCode.usage,
        );
      }
      const sha256 = options.sha256 ?? local?.sha256;
      if (sha256 === undefined) throw new CliError('give --sha256, or --file to compute it', ExitCode.usage);
      const size = options.size ?? local?.size;
      if (size === undefined) throw new CliError('give --size, or --file to compute it', ExitCode.usage);
      const body = {
        url: options.artifactUrl,
        sha256,
        size,
        version: options.version,
      };
      const answer = await (
        await ctx.pipeline(command)
      ).json('POST', `/runs/${id}/artifacts`, artifactPublished, { json: body });
      const a = answer.body.artifact;
      ctx.output(command, answer.body, () => [
        `artifact ${a.service} ${a.version} ${answer.body.outcome}: ${a.url} sha256 ${a.sha256}`,
      ]);
    });

  runs
    .command('list')
    .description('pipeline runs, newest first')
    .option('--service <service>', 'only this service')
    .option('--limit <n>', 'at most this many (1-500)', wholeNumber(1, 500))
    .action(async (options: { service?: string; limit?: number }, command: Command) => {
      const { body } = await (
        await ctx.pipeline(command)
      ).json('GET', '/runs', runList, { query: { service: options.service, limit: options.limit } });
      ctx.output(command, body, () =>
        body.length === 0
          ? ['no runs']
          : table([
              ['RUN', 'SERVICE', 'VERSION', 'BRANCH', 'COMMIT', 'BUILD'],
              ...body.map((r) => [
                r.id,
                r.service,
                r.version,
                r.branch,
                r.commit.slice(0, 12),
                r.buildNumber === null || r.buildNumber === undefined ? '' : `#${r.buildNumber}`,
              ]),
            ]),
      );
    });

  runs
    .command('show')
    .argument('<run>', 'the run id (from runs create)', runId)
    .description('a run with its stages and artifacts')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { body } = await (await ctx.pipeline(command)).json('GET', `/runs/${id}`, run);
      ctx.output(command, body, () => [
        `run ${body.id}: ${body.service} ${body.version} (${body.branch} ${body.commit.slice(0, 12)}${body.buildNumber === null || body.buildNumber === undefined ? '' : `, build #${body.buildNumber}`})`,
        ...(body.stages ?? []).map(
          (s) =>
            `  stage ${s.name}: ${s.status}${s.tests ? ` (tests ${s.tests.total}, failed ${s.tests.failed}, skipped ${s.tests.skipped})` : ''}`,
        ),
        ...(body.artifacts ?? []).map((a) => `  artifact ${a.url} sha256 ${a.sha256}`),
      ]);
    });
}

async function digestFile(path: string): Promise<{ sha256: string; size: number }> {
  try {
    const { size } = await stat(path);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return { sha256: hash.digest('hex'), size };
  } catch (error) {
    throw new CliError(`cannot read the artifact ${path}: ${errorMessage(error)}`, ExitCode.usage);
  }
}
