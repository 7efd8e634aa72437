import { Command, CommanderError } from 'commander';
import { CliContext, type CliIo } from './cli-context';
import { registerAgentsCommands } from './commands/agents.command';
import { registerAuditCommands } from './commands/audit.command';
import { registerDeadLettersCommands } from './commands/dead-letters.command';
import { registerDeployCommands } from './commands/deploy.command';
import { registerDeploymentsCommands } from './commands/deployments.command';
import { registerKeysCommands } from './commands/keys.command';
import { registerPoolsCommands } from './commands/pools.command';
import { registerPromotionCommands } from './commands/promotions.command';
import { registerRunsCommands } from './commands/runs.command';
import { registerServicesCommands } from './commands/services.command';
import { CliError, ExitCode } from './exit-codes';

const EPILOG = `
Configuration: flags > environment (CONVEYOR_URL, CONVEYOR_TOKEN, CONVEYOR_AUDIT_URL, CONVEYOR_AUDIT_TOKEN,
CONVEYOR_POOLS_URL, CONVEYOR_ORCHESTRATOR_URL, CONVEYOR_BROKER_URL,
CONVEYOR_BROKER_VHOST, CONVEYOR_CONFIG) > config file (~/.config/conveyor/config.json, or --config).
Exit codes: 0 ok, 1 failed or refused, 2 usage or configuration error, 3 not found, 4 authentication,
5 unreachable, 130 interrupted.`;

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('conveyor')
    .description(
      'Conveyor: promote builds, follow and steer rolling deployments, read pools, export and verify the audit log',
    )
    .version('0.1.0', '-V', 'print the CLI version')
    .option('--url <url>', 'pipeline API URL')
    .option(
      '--token <token>',
      'your API token, issued by the pipeline, for every service (prefer CONVEYOR_TOKEN: flags show up in process lists)',
    )
    .option('--audit-url <url>', 'audit service URL')
    .option(
      '--audit-token <token>',
      'API token for the audit service, when not --token (e.g. an auditor token)',
    )
    .option('--pools-url <url>', 'pool manager URL')
    .option('--orchestrator-url <url>', 'orchestrator URL (agents)')
    .option('--config <file>', 'config file (default ~/.config/conveyor/config.json)')
    .option('--json', 'machine-readable JSON on stdout')
    .addHelpText('after', EPILOG)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    });
  registerServicesCommands(program, ctx);
  registerRunsCommands(program, ctx);
  registerPromotionCommands(program, ctx);
  registerDeployCommands(program, ctx);
  registerDeploymentsCommands(program, ctx);
  registerPoolsCommands(program, ctx);
  registerAgentsCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerKeysCommands(program, ctx);
  registerDeadLettersCommands(program, ctx);
  return program;
}

/** Runs one invocation and returns its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  const wantsJson = argv.includes('--json');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      // commander has already printed its message (unknown option, missing argument, a group without a command)
      return ExitCode.usage;
    }
    if (error instanceof CliError) {
      reportError(io, error, wantsJson);
      return error.exitCode;
    }
    io.stderr.write(
      `conveyor crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.failure;
  }
}

function reportError(io: CliIo, error: CliError, json: boolean): void {
  if (json) {
    io.stderr.write(
      `${JSON.stringify({ error: { message: error.message, details: error.details, exitCode: error.exitCode, status: error.status } })}\n`,
    );
    return;
  }
  io.stderr.write(`error: ${error.message}\n${error.details.map((detail) => `  - ${detail}\n`).join('')}`);
}
