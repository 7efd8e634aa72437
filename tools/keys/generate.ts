import { errorMessage } from '@conveyor/errors';
/**
 * Generates the orchestrator's Ed25519 command-signing key pair.
 *
 *   node -r @swc-node/register tools/keys/generate.ts --out <dir> [--name orchestrator]
 *
 * Writes <dir>/<name>.key.pem (mode 0600, secret) and <dir>/<name>.pub.pem (give it to agents),
 * refuses to overwrite an existing key, and prints the key id.
 */
import { parseArgs } from 'node:util';
import { writeSigningKeyPair } from '@conveyor/signing-keys';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      name: { type: 'string', default: 'orchestrator' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help || values.out === undefined) {
    process.stderr.write(
      'usage: node -r @swc-node/register tools/keys/generate.ts --out <dir> [--name orchestrator]\n',
    );
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const written = await writeSigningKeyPair(values.out, values.name);
  process.stdout.write(
    `key id ${written.keyId}\nprivate key ${written.privateKeyPath} (mode 0600; keep it secret)\npublic key ${written.publicKeyPath}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`keys generate failed: ${errorMessage(error)}\n`);
  process.exitCode = 1;
});
