import { readFileSync } from 'node:fs';

const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g;

/**
 * AGENT_TRUSTED_KEYS holds PEM text (one or more blocks) and/or paths of PEM files, separated by
 * commas or newlines. Returns every PEM found; throws naming each path that cannot be read.
 */
export function readTrustedKeyPems(value: string): string[] {
  const inline = value.match(PEM_BLOCK) ?? [];
  const rest = value.replace(PEM_BLOCK, '\n');
  const paths = rest
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const problems: string[] = [];
  const fromFiles: string[] = [];
  for (const path of paths) {
    try {
      const text = readFileSync(path, 'utf8');
      const blocks = text.match(PEM_BLOCK);
      if (blocks === null) problems.push(`${path} holds no PEM block`);
      else fromFiles.push(...blocks);
    } catch (error) {
      problems.push(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return [...inline, ...fromFiles];
}
