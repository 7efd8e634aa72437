import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { generateFiles, names, workspaceRoot, type Tree } from '@nx/devkit';

export interface ServiceGeneratorOptions {
  name: string;
  port?: number;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const TAKEN = new Set(['pipeline', 'orchestrator', 'pool-manager', 'verifier', 'audit', 'agent', 'cli']);

/** What the templates are given: every spelling of the name, and the port. */
export function templateValues(options: ServiceGeneratorOptions) {
  if (!NAME.test(options.name)) {
    throw new Error(
      `service name "${options.name}" must be lower-case words joined by hyphens (e.g. inventory, release-notes)`,
    );
  }
  if (TAKEN.has(options.name)) throw new Error(`service name "${options.name}" is taken`);
  const port = options.port ?? 3010;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`port ${String(options.port)} must be an integer from 1 to 65535`);
  }
  const spelled = names(options.name);
  return {
    name: spelled.fileName,
    camel: spelled.propertyName,
    pascal: spelled.className,
    constant: spelled.constantName,
    schema: spelled.fileName.replace(/-/g, '_'),
    port,
    tmpl: '',
  };
}

/**
 * `nx g @conveyor/generators:service <name>`: a service in the one anatomy of docs/architecture.md
 * (boot file, config/ with one settings token, persistence/, metrics/, testing/ harness, an
 * integration test that boots it against real RabbitMQ and PostgreSQL, its README).
 */
export function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions): Promise<void> {
  try {
    const values = templateValues(options);
    const root = `apps/${values.name}`;
    if (tree.exists(root)) throw new Error(`${root} exists already`);
    generateFiles(tree, join(__dirname, 'files'), root, values);
    formatLikeTheRepository(tree, root);
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Prettier with the repository's own settings (.prettierrc), so `npm run format:check` passes. Run
 * as its own process: Prettier 3 loads its plugins with dynamic imports, which jest's VM refuses.
 */
function formatLikeTheRepository(tree: Tree, root: string): void {
  const prettier = join(workspaceRoot, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  for (const change of tree.listChanges()) {
    if (!change.path.startsWith(`${root}/`) || change.content === null) continue;
    const formatted = execFileSync(
      process.execPath,
      [prettier, '--stdin-filepath', join(workspaceRoot, change.path)],
      { cwd: workspaceRoot, input: change.content, encoding: 'utf8' },
    );
    tree.write(change.path, formatted);
  }
}

export default serviceGenerator;
