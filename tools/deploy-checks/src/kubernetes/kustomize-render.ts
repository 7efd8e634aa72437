import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { readYamlDocuments, repoPath } from '../repo-files';

/**
 * Renders deploy/k8s with the real Kustomize: `kubectl kustomize <dir>` (kubectl's built-in
 * Kustomize, v5 on the CI machine; `KUBECTL` names another binary). On top of it, one rule
 * Kustomize does not enforce: every patch of a kustomization must match at least one object
 * (Kustomize silently applies a patch whose target matches nothing).
 */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

const manifest = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string().min(1) }),
});

const patchTargets = z.looseObject({
  patches: z
    .array(
      z.looseObject({
        target: z.looseObject({ kind: z.string().optional(), name: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

/** The kubectl binary: `KUBECTL`, else the first `kubectl` on PATH, else /usr/bin/kubectl. */
export function kubectlPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['KUBECTL']) return env['KUBECTL'];
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'kubectl');
    if (existsSync(candidate)) return candidate;
  }
  return '/usr/bin/kubectl';
}

/** Renders the kustomization in `dir` (relative to the repository root) with `kubectl kustomize`. */
export function renderKustomization(dir: string): Manifest[] {
  const kubectl = kubectlPath();
  let output: string;
  try {
    output = execFileSync(kubectl, ['kustomize', repoPath(dir)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failure = error as { code?: string; stderr?: string; message: string };
    if (failure.code === 'ENOENT')
      throw new Error(`${dir}: ${kubectl} not found — install kubectl (Kustomize v5) or set KUBECTL`);
    throw new Error(`${dir}: kubectl kustomize failed: ${(failure.stderr ?? failure.message).trim()}`);
  }
  const manifests = parseAllDocuments(output).map((document, index) => {
    if (document.errors.length > 0)
      throw new Error(
        `${dir}: rendered document ${index}: ${document.errors.map((e) => e.message).join('; ')}`,
      );
    return manifest.parse(document.toJS()) as Manifest;
  });
  assertEveryPatchMatches(dir, manifests);
  return manifests;
}

/** Refuses a patch of `dir`'s kustomization whose target (kind, name regex) matches no rendered object. */
export function assertEveryPatchMatches(dir: string, manifests: readonly Manifest[]): void {
  const spec = patchTargets.parse(readYamlDocuments(dir, 'kustomization.yaml')[0]);
  for (const patch of spec.patches ?? []) {
    const target = patch.target;
    if (target === undefined) continue;
    const matches = manifests.filter(
      (item) =>
        (target.kind === undefined || item.kind === target.kind) &&
        (target.name === undefined || new RegExp(`^(${target.name})$`).test(item.metadata.name)),
    );
    if (matches.length === 0)
      throw new Error(
        `${dir}: a patch targets ${target.kind ?? '*'} ${target.name ?? '*'}, which matches nothing`,
      );
  }
}

export function containersOf(item: Manifest): { name: string; image: string }[] {
  const spec = (
    item as { spec?: { template?: { spec?: { containers?: { name: string; image: string }[] } } } }
  ).spec;
  return spec?.template?.spec?.containers ?? [];
}
