import { join, normalize } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { readRepoFile, readYamlDocuments, repoFileExists } from '../repo-files';

/**
 * A small renderer for the subset of Kustomize deploy/k8s uses (no kustomize binary on CI): resources,
 * components, namespace, images (newTag/newName), configMapGenerator (files) and JSON 6902 patches
 * with `replace` on targets selected by kind and name regex. Anything else is refused, so a
 * kustomization that grows beyond the subset fails here instead of rendering wrongly.
 */
const kustomization = z.strictObject({
  apiVersion: z.string(),
  kind: z.enum(['Kustomization', 'Component']),
  namespace: z.string().optional(),
  resources: z.array(z.string()).optional(),
  components: z.array(z.string()).optional(),
  images: z
    .array(
      z.strictObject({ name: z.string(), newTag: z.string().optional(), newName: z.string().optional() }),
    )
    .optional(),
  configMapGenerator: z.array(z.strictObject({ name: z.string(), files: z.array(z.string()) })).optional(),
  patches: z
    .array(
      z.strictObject({
        target: z.strictObject({ kind: z.string(), name: z.string().optional() }),
        patch: z.string(),
      }),
    )
    .optional(),
});

const jsonPatch = z.array(
  z.strictObject({ op: z.literal('replace'), path: z.string().startsWith('/'), value: z.unknown() }),
);

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

/** Renders the kustomization in `dir` (relative to the repository root). */
export function renderKustomization(dir: string): Manifest[] {
  const spec = kustomization.parse(readYamlDocuments(dir, 'kustomization.yaml')[0]);
  const manifests: Manifest[] = [];
  for (const resource of spec.resources ?? []) {
    const path = normalize(join(dir, resource));
    if (repoFileExists(path, 'kustomization.yaml')) manifests.push(...renderKustomization(path));
    else if (repoFileExists(path))
      manifests.push(...readYamlDocuments(path).map((document) => manifest.parse(document) as Manifest));
    else throw new Error(`${dir}: resource ${resource} does not exist`);
  }
  for (const generator of spec.configMapGenerator ?? []) {
    const data: Record<string, string> = {};
    for (const file of generator.files) data[file] = readRepoFile(dir, file);
    manifests.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data });
  }
  for (const component of spec.components ?? []) {
    const path = normalize(join(dir, component));
    if (!repoFileExists(path, 'kustomization.yaml'))
      throw new Error(`${dir}: component ${component} does not exist`);
    manifests.push(...renderKustomization(path));
  }
  for (const item of manifests) {
    if (spec.namespace !== undefined) {
      if (item.kind === 'Namespace') item.metadata.name = spec.namespace;
      else item.metadata.namespace = spec.namespace;
    }
    for (const container of containersOf(item)) {
      for (const image of spec.images ?? []) {
        const [name] = container.image.split(':');
        if (name === image.name)
          container.image = `${image.newName ?? name}:${image.newTag ?? container.image.split(':')[1] ?? 'latest'}`;
      }
    }
  }
  for (const patch of spec.patches ?? []) {
    const targets = manifests.filter(
      (item) =>
        item.kind === patch.target.kind &&
        (patch.target.name === undefined || new RegExp(`^(${patch.target.name})$`).test(item.metadata.name)),
    );
    if (targets.length === 0)
      throw new Error(
        `${dir}: a patch targets ${patch.target.kind} ${patch.target.name ?? '*'}, which matches nothing`,
      );
    const operations = jsonPatch.parse(parseYaml(patch.patch));
    for (const target of targets)
      for (const operation of operations) replaceAt(target, operation.path, operation.value, dir);
  }
  return manifests;
}

function replaceAt(target: unknown, path: string, value: unknown, where: string): void {
  const keys = path.slice(1).split('/');
  const last = keys.pop() as string;
  let node: unknown = target;
  for (const key of keys) {
    node = (node as Record<string, unknown> | undefined)?.[key];
    if (typeof node !== 'object' || node === null)
      throw new Error(`${where}: patch path ${path} does not exist`);
  }
  // JSON patch `replace` requires the value to exist already.
  if (!(last in (node as Record<string, unknown>)))
    throw new Error(`${where}: patch path ${path} does not exist`);
  (node as Record<string, unknown>)[last] = value;
}

export function containersOf(item: Manifest): { name: string; image: string }[] {
  const spec = (
    item as { spec?: { template?: { spec?: { containers?: { name: string; image: string }[] } } } }
  ).spec;
  return spec?.template?.spec?.containers ?? [];
}
