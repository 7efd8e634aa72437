import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository root (tools/deploy-checks/src → ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function readRepoFile(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

export function repoFileExists(...parts: string[]): boolean {
  return existsSync(repoPath(...parts));
}

/** Every YAML document of a file, parsed; a syntax error names the file. */
export function readYamlDocuments(...parts: string[]): unknown[] {
  const documents = parseAllDocuments(readRepoFile(...parts), { merge: true });
  return documents
    .map((document) => {
      if (document.errors.length > 0)
        throw new Error(`${parts.join('/')}: ${document.errors.map((error) => error.message).join('; ')}`);
      return document.toJS({ maxAliasCount: 1000 }) as unknown;
    })
    .filter((value) => value !== null && value !== undefined);
}
