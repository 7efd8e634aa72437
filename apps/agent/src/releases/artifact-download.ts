import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { StepFailure } from '../steps/step-failure';

export interface DownloadedArtifact {
  path: string;
  bytes: number;
  sha256: string;
}

export interface DownloadOptions {
  url: string;
  expectedSha256: string;
  /** Where the file goes (state/downloads). */
  dir: string;
  /** A download that sends nothing for this long is abandoned. Default 30 s. */
  idleTimeoutMs?: number;
}

/**
 * Streams an artifact (http, https or file URL) to a file while hashing it. Throws StepFailure
 * `download` (connection broken, short body, HTTP error) or `checksum` (sha256 mismatch); in both
 * cases the partial file is removed and nothing else was touched.
 */
export async function downloadArtifact(options: DownloadOptions): Promise<DownloadedArtifact> {
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, `${randomBytes(6).toString('hex')}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    const { body, expectedBytes } = await openSource(options.url, options.idleTimeoutMs ?? 30_000);
    await pipeline(body, meter, createWriteStream(path, { mode: 0o600 }));
    if (expectedBytes !== undefined && bytes !== expectedBytes) {
      throw new Error(`connection ended after ${bytes} of ${expectedBytes} bytes`);
    }
  } catch (error) {
    await rm(path, { force: true });
    throw new StepFailure(
      'download',
      `download of ${redact(options.url)} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== options.expectedSha256) {
    await rm(path, { force: true });
    throw new StepFailure(
      'checksum',
      `sha256 mismatch for ${redact(options.url)}: expected ${options.expectedSha256}, got ${sha256} (${bytes} bytes)`,
    );
  }
  return { path, bytes, sha256 };
}

async function openSource(
  url: string,
  idleTimeoutMs: number,
): Promise<{ body: Readable; expectedBytes?: number }> {
  const parsed = new URL(url);
  if (parsed.protocol === 'file:') return { body: createReadStream(fileURLToPath(parsed)) };
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`unsupported URL scheme ${parsed.protocol}`);
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = (parsed.protocol === 'https:' ? httpsGet : httpGet)(parsed, resolve);
    request.on('error', reject);
    request.setTimeout(idleTimeoutMs, () => request.destroy(new Error(`no data for ${idleTimeoutMs} ms`)));
  });
  if (response.statusCode !== 200) {
    response.resume();
    throw new Error(`HTTP ${response.statusCode ?? '?'}`);
  }
  const length = response.headers['content-length'];
  return { body: response, expectedBytes: length === undefined ? undefined : Number(length) };
}

/** URLs may carry credentials (user:pass@ or a token query); they never reach an event or a log. */
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
