import { z } from 'zod';
import { formatIssues } from '@conveyor/contracts';

/**
 * The agent's artifact credentials (the file named by ARTIFACT_CREDENTIALS_FILE): which
 * Authorization (or other) header to send to which URL prefix. Artifact URLs in commands never
 * carry credentials (the contract refuses user:pass@); the agent adds them from here.
 */
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')
  .refine((name) => !/^(host|content-length|connection|transfer-encoding)$/i.test(name), 'is not allowed');
const prefix = z
  .string()
  .url()
  .refine((url) => /^https?:\/\//.test(url), 'must be an http or https URL')
  .refine((url) => new URL(url).username === '' && new URL(url).password === '', 'must not carry user:pass@')
  .refine(
    (url) => new URL(url).search === '' && new URL(url).hash === '',
    'must not have a query or fragment',
  );
const noNewline = (what: string) =>
  z
    .string()
    .min(1)
    .refine((value) => !/[\r\n]/.test(value), `${what} must not contain a line break`);

const credentialEntry = z.union([
  z.strictObject({ urlPrefix: prefix, bearerToken: noNewline('bearerToken') }),
  z.strictObject({
    urlPrefix: prefix,
    username: noNewline('username').refine((u) => !u.includes(':'), 'username must not contain ":"'),
    password: noNewline('password'),
  }),
  z.strictObject({ urlPrefix: prefix, header: headerName, value: noNewline('value') }),
]);
export const artifactCredentialsSchema = z.array(credentialEntry).max(1000);
export type ArtifactCredentials = z.infer<typeof artifactCredentialsSchema>;

export interface CredentialHeader {
  name: string;
  value: string;
}

/** Parses the credentials file's JSON; throws an Error naming the problem, never a secret. */
export function parseArtifactCredentials(text: string, source: string): ArtifactCredentials {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON`);
  }
  const parsed = artifactCredentialsSchema.safeParse(document);
  if (!parsed.success) {
    // Issues name paths and rules only; zod does not echo the values.
    throw new Error(`${source}: ${formatIssues(parsed.error)}`);
  }
  return parsed.data;
}

/** True when `url` is under `urlPrefix`: same scheme, host and port, and the path under the prefix's path. */
export function isUnderPrefix(url: URL, urlPrefix: string): boolean {
  const base = new URL(urlPrefix);
  if (url.origin !== base.origin) return false;
  const path = base.pathname;
  if (path === '/' || url.pathname === path) return true;
  return url.pathname.startsWith(path.endsWith('/') ? path : `${path}/`);
}

/** The header to send with a download of `url`: the entry with the longest matching prefix, or none. */
export function credentialFor(url: string, credentials: ArtifactCredentials): CredentialHeader | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const match = credentials
    .filter((entry) => isUnderPrefix(parsed, entry.urlPrefix))
    .sort((a, b) => new URL(b.urlPrefix).pathname.length - new URL(a.urlPrefix).pathname.length)[0];
  if (match === undefined) return undefined;
  if ('bearerToken' in match) return { name: 'authorization', value: `Bearer ${match.bearerToken}` };
  if ('username' in match)
    return {
      name: 'authorization',
      value: `Basic ${Buffer.from(`${match.username}:${match.password}`).toString('base64')}`,
    };
  return { name: match.header.toLowerCase(), value: match.value };
}
