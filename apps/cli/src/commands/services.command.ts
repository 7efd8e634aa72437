import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { CliContext } from '../cli-context';
import { usageError } from '../exit-codes';
import { table } from '../format/text';
import { manifestApplied, serviceDetail, serviceList } from '../http/pipeline-schemas';
import { wholeNumber } from './arguments';

/** `conveyor services apply|list|show`: the service catalogue. */
export function registerServicesCommands(program: Command, ctx: CliContext): void {
  const services = program.command('services').description('the service catalogue: manifests');

  services
    .command('apply')
    .description(
      'create or change a service manifest (YAML or JSON); the same manifest again keeps its version',
    )
    .requiredOption('-f, --file <file>', 'the manifest (- for stdin)')
    .option('--name <service>', 'the service (default: the manifest\'s "service" field)')
    .action(async (options: { file: string; name?: string }, command: Command) => {
      const text = await ctx.readInput(options.file, 'manifest');
      const name = options.name ?? serviceNameIn(text);
      if (name === null)
        throw usageError(
          `cannot tell which service ${options.file} describes: give --name, or a "service" field in the manifest`,
        );
      const contentType = /\.json$/i.test(options.file) ? 'application/json' : 'application/yaml';
      const client = await ctx.pipeline(command);
      const { body } = await client.json('PUT', `/services/${encodeURIComponent(name)}`, manifestApplied, {
        raw: { text, contentType },
      });
      ctx.output(command, body, () => [
        `${body.service}: manifest v${body.version} ${body.changed ? 'applied' : 'unchanged (same as the latest version)'} · environments ${body.environments.join(' → ')}`,
      ]);
    });

  services
    .command('list')
    .description('every service with its latest manifest version')
    .action(async (_options: unknown, command: Command) => {
      const { body } = await (await ctx.pipeline(command)).json('GET', '/services', serviceList);
      ctx.output(command, body, () =>
        body.length === 0
          ? ['no services in the catalogue']
          : table([
              ['SERVICE', 'MANIFEST', 'ENVIRONMENTS', 'APPLIED'],
              ...body.map((s) => [
                s.service,
                `v${s.version}`,
                s.environments.join(' → '),
                `${s.appliedAt ?? ''} ${s.appliedBy ?? ''}`.trim(),
              ]),
            ]),
      );
    });

  services
    .command('show <service>')
    .description('a service manifest: the latest version, or --version N')
    .option('--version <n>', 'a manifest version', wholeNumber(1))
    .action(async (service: string, options: { version?: number }, command: Command) => {
      const { body } = await (
        await ctx.pipeline(command)
      ).json('GET', `/services/${encodeURIComponent(service)}`, serviceDetail, {
        query: { version: options.version },
      });
      ctx.output(command, body, () => [
        `${body.service} manifest v${body.version} (${body.environments.join(' → ')})`,
        JSON.stringify(body.manifest, null, 2),
      ]);
    });
}

/** The manifest's own `service` field, if it has one (YAML is a superset of JSON). */
export function serviceNameIn(text: string): string | null {
  try {
    const parsed: unknown = parseYaml(text);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as Record<string, unknown>)['service'] === 'string'
    ) {
      return (parsed as Record<string, string>)['service'] ?? null;
    }
  } catch {
    // not parseable here: the pipeline will say why once we know the name
  }
  return null;
}
