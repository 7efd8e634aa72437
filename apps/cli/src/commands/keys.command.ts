import { errorMessage } from '@conveyor/errors';
import { writeSigningKeyPair, type WrittenKeyPair } from '@conveyor/signing-keys';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError, ExitCode } from '../exit-codes';

/** `conveyor keys generate`: the orchestrator's Ed25519 command-signing key pair. */
export function registerKeysCommands(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('command-signing keys');
  keys
    .command('generate')
    .description(
      'write <name>.key.pem (mode 0600, secret: the orchestrator) and <name>.pub.pem (for agents); never overwrites a key',
    )
    .requiredOption('--out <dir>', 'directory to write the keys into')
    .option('--name <name>', 'file name prefix', 'orchestrator')
    .action(async (options: { out: string; name: string }, command: Command) => {
      let written: WrittenKeyPair;
      try {
        written = await writeSigningKeyPair(options.out, options.name);
      } catch (error) {
        throw new CliError(`keys not generated: ${errorMessage(error)}`, ExitCode.failure);
      }
      ctx.output(command, written, () => [
        `key id ${written.keyId}`,
        `private key ${written.privateKeyPath} (mode 0600; keep it secret: the orchestrator's ORCHESTRATOR_SIGNING_KEY)`,
        `public key  ${written.publicKeyPath} (give it to every agent)`,
      ]);
    });
}
