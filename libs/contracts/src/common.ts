import { z } from 'zod';

/** Shared building blocks of event payloads. */
export const uuid = z.uuid();
/** The instants every store of ours can hold: years 0001 to 9999 (PostgreSQL has no year 0). */
export const EARLIEST_TIME = '0001-01-01T00:00:00Z';
export const LATEST_TIME = '9999-12-31T23:59:59.999Z';
const EARLIEST_MS = Date.parse(EARLIEST_TIME);
const LATEST_MS = Date.parse(LATEST_TIME);

/** Why an ISO-8601 date-time is out of range, or null when it is within years 0001–9999 (UTC). Pure. */
export function timeRangeProblem(text: string): string | null {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return 'is not a date-time';
  if (ms < EARLIEST_MS || ms > LATEST_MS)
    return `must be between ${EARLIEST_TIME} and ${LATEST_TIME} (UTC), got "${text}"`;
  return null;
}

/** An ISO-8601 date-time with Z or an offset, within years 0001–9999 (UTC). */
export const isoTime = z.iso.datetime({ offset: true }).refine((text) => timeRangeProblem(text) === null, {
  error: (issue) => timeRangeProblem(String(issue.input)) ?? 'is out of range',
});
export const nonEmpty = z.string().trim().min(1);
export const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'must be 1-63 letters, digits, dots, dashes or underscores');
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (sha256)');
export const version = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/, 'must be a version like 1.4.2');
export const durationMs = z.number().int().nonnegative();

/** True when a URL carries user:pass@ (or just user@): credentials that would travel in events. */
function hasUserinfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

/**
 * Where an artifact is fetched from. Never with credentials in it: events (and the audit chain)
 * carry this URL; an agent adds its own credentials per URL prefix (ARTIFACT_CREDENTIALS_FILE).
 */
export const artifactUrl = z
  .string()
  .url()
  .refine((u) => /^(https?|file):/.test(u), 'must be an http, https or file URL')
  .refine(
    (u) => !hasUserinfo(u),
    'must not carry credentials (user:pass@); the agent adds them from its own credentials file',
  );

export const artifactRef = z.object({
  service: identifier,
  version,
  url: artifactUrl,
  sha256: sha256Hex,
  size: z.number().int().nonnegative().optional(),
});
export type ArtifactRef = z.infer<typeof artifactRef>;

/** Agent facts, MCollective-style: what an agent says about itself and what commands select on. */
export const facts = z.record(identifier, z.string().max(256));

/** A target server: its node id (the agent's id) and where HTTP checks reach it. */
export const targetServer = z.object({
  id: identifier,
  address: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port')
    .optional(),
});
export type TargetServer = z.infer<typeof targetServer>;
