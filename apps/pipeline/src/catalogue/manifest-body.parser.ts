import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { environmentOrder, serviceManifestSchema, type ServiceManifest } from '@conveyor/contracts';
import { listProblems } from '@conveyor/service-kit';

export type ManifestParse =
  | { ok: true; manifest: ServiceManifest; contentHash: string }
  | { ok: false; problems: string[] };

/**
 * A manifest sent as JSON (already parsed) or YAML (a string) for the service named in the path.
 * Pure. `service` may be left out (the path names it); if present it must match.
 */
export function parseManifestBody(serviceName: string, body: unknown): ManifestParse {
  let document: unknown = body;
  if (typeof body === 'string') {
    try {
      document = parseYaml(body, { maxAliasCount: 100, uniqueKeys: true });
    } catch (error) {
      const message = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
      return { ok: false, problems: [`(root): not valid YAML or JSON: ${message}`] };
    }
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return {
      ok: false,
      problems: ['(root): must be a manifest object (YAML or JSON) with service and environments'],
    };
  }
  const withService: Record<string, unknown> = { service: serviceName, ...document };
  const problems: string[] = [];
  if (withService['service'] !== serviceName)
    problems.push(`service: must be "${serviceName}", the name in the path`);
  const parsed = serviceManifestSchema.safeParse(withService);
  if (!parsed.success) problems.push(...listProblems(parsed.error));
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, manifest: parsed.data, contentHash: manifestHash(parsed.data) };
}

/**
 * sha256 of the manifest's canonical JSON and its environment order: canonical JSON sorts keys,
 * and the order of environments is the promotion order, so a reordering is a change.
 */
export function manifestHash(manifest: ServiceManifest): string {
  return createHash('sha256')
    .update(canonicalize({ manifest, environmentOrder: environmentOrder(manifest) }) ?? '', 'utf8')
    .digest('hex');
}
