import { errorMessage } from '@conveyor/errors';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { StepFailure } from '../steps/step-failure';
import { credentialFor, type ArtifactCredentials } from '../config/artifact-credentials';

export interface DownloadedArtifact {
  path: string;
  bytes: number;
  sha256: string;
}

export interface DownloadOptions {
  url: string;
  expectedSha256: string;
  /** The size the signed command declares: more bytes abort the download, fewer fail it. */
  expectedSize: number;
  /** Where the file goes (state/downloads). */
  dir: string;
  /** A download that sends nothing for this long is abandoned. Default 30 s. */
  idleTimeoutMs?: number;
  /** The whole download (connect, headers, body) must be done within this. Default 10 min. */
  deadlineMs?: number;
  /** The agent's own artifact credentials (ARTIFACT_CREDENTIALS_FILE); the URL never carries any. */
  credentials?: ArtifactCredentials;
}

/** Counts and hashes the bytes going through, failing as soon as they pass `limit`. */
class SizeLimitedMeter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      callback(new Error(`more than the declared ${this.limit} bytes: aborted`));
      return;
    }
    this.hash.update(chunk);
    this.push(chunk);
    callback();
  }
}

/**
 * Streams an artifact (http, https or file URL) to a file while hashing it, within the declared
 * size and an overall deadline. Throws StepFailure `download` (connection broken, HTTP error,
 * larger or smaller than declared, deadline passed) or `checksum` (sha256 mismatch); in every
 * case the partial file is removed and nothing else was touched. A URL with user:pass@ is
 * refused: credentials come from the agent's own file, per URL prefix.
 */
export async function downloadArtifact(options: DownloadOptions): Promise<DownloadedArtifact> {
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, `${randomBytes(6).toString('hex')}.part`);
  const meter = new SizeLimitedMeter(options.expectedSize);
  const deadlineMs = options.deadlineMs ?? 600_000;
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new Error(`not complete within its deadline of ${Math.round(deadlineMs / 1000)} s`)),
    deadlineMs,
  );
  try {
    const { body, expectedBytes } = await openSource(options, deadline.signal);
    if (expectedBytes !== undefined && expectedBytes !== options.expectedSize) {
      body.destroy();
      throw new Error(
        `the server announces ${expectedBytes} bytes, the command declares ${options.expectedSize}`,
      );
    }
    await pipeline(body, meter, createWriteStream(path, { mode: 0o600 }), { signal: deadline.signal });
    if (meter.bytes !== options.expectedSize)
      throw new Error(`connection ended after ${meter.bytes} of the declared ${options.expectedSize} bytes`);
  } catch (error) {
    await rm(path, { force: true });
    const reason = deadline.signal.aborted ? deadline.signal.reason : error;
    throw new StepFailure('download', `download of ${redact(options.url)} failed: ${errorMessage(reason)}`);
  } finally {
    clearTimeout(timer);
  }
  const sha256 = meter.hash.digest('hex');
  if (sha256 !== options.expectedSha256) {
    await rm(path, { force: true });
    throw new StepFailure(
      'checksum',
      `sha256 mismatch for ${redact(options.url)}: expected ${options.expectedSha256}, got ${sha256} (${meter.bytes} bytes)`,
    );
  }
  return { path, bytes: meter.bytes, sha256 };
}

async function openSource(
  options: DownloadOptions,
  signal: AbortSignal,
): Promise<{ body: Readable; expectedBytes?: number }> {
  const parsed = new URL(options.url);
  if (parsed.username !== '' || parsed.password !== '')
    throw new Error('the URL carries credentials (user:pass@); they belong in ARTIFACT_CREDENTIALS_FILE');
  if (parsed.protocol === 'file:') return { body: createReadStream(fileURLToPath(parsed)) };
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`unsupported URL scheme ${parsed.protocol}`);
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const credential = credentialFor(options.url, options.credentials ?? []);
  const headers = credential === undefined ? {} : { [credential.name]: credential.value };
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    // No redirects are followed, so a header never goes to another host.
    const request = (parsed.protocol === 'https:' ? httpsRequest : httpRequest)(
      parsed,
      { method: 'GET', headers, signal },
      resolve,
    );
    request.on('error', reject);
    request.setTimeout(idleTimeoutMs, () => request.destroy(new Error(`no data for ${idleTimeoutMs} ms`)));
    request.end();
  });
  if (response.statusCode !== 200) {
    response.resume();
    throw new Error(`HTTP ${response.statusCode ?? '?'}`);
  }
  const length = response.headers['content-length'];
  return { body: response, expectedBytes: length === undefined ? undefined : Number(length) };
}

/** URLs may carry a token in their query; it never reaches an event or a log. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = parsed.search === '' ? '' : '?…';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
