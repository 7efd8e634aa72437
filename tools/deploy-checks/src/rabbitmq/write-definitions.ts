// `npm run rabbitmq:definitions`: writes deploy/rabbitmq/definitions.json and
// agent-topic-permissions.json from the contracts (who produces which event). A unit test fails
// while the shipped files differ from what this writes.
import { writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { repoPath } from '../repo-files';
import { generatedRabbitmqFiles } from './generated-definitions';

async function main(): Promise<void> {
  for (const [name, value] of Object.entries(generatedRabbitmqFiles())) {
    writeFileSync(
      repoPath('deploy', 'rabbitmq', name),
      await format(JSON.stringify(value), { parser: 'json' }),
    );
    process.stdout.write(`wrote deploy/rabbitmq/${name}\n`);
  }
}

void main();
