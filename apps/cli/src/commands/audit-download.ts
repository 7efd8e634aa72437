import { errorMessage } from '@conveyor/errors';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { CliError, ExitCode } from '../exit-codes';
import type { ApiClient, Query } from '../http/api-client';

export interface DownloadedExport {
  exportId: string;
  exportPath: string;
  manifestPath: string;
  bytes: number;
  sha256: string;
  manifest: z.infer<typeof manifestFigures>;
}

const manifestFigures = z.looseObject({
  format: z.string(),
  count: z.number(),
  firstSeq: z.number().nullable(),
  lastSeq: z.number().nullable(),
  exportSha256: z.string(),
});

/** `audit.ndjson` → `audit.manifest.json`, beside the export. */
export function manifestPathFor(exportPath: string): string {
  const extension = extname(exportPath);
  return join(dirname(exportPath), `${basename(exportPath, extension)}.manifest.json`);
}

/**
 * Streams an export to `<output>.partial`, renames it when complete, then fetches the signed
 * manifest (stored by the audit service before the export's response ended) and writes it as
 * received. An export cut short leaves no file, and has no manifest.
 */
export async function downloadExport(
  client: ApiClient,
  path: string,
  query: Query,
  output: (exportId: string) => string,
  manifestOutput: string | undefined,
): Promise<DownloadedExport> {
  const response = await client.stream(path, query);
  const exportId = response.headers.get('x-audit-export-id');
  if (exportId === null || !/^[0-9a-f-]{36}$/i.test(exportId))
    throw new CliError(`the audit service sent no X-Audit-Export-Id header for ${path}`, ExitCode.failure);
  if (response.body === null)
    throw new CliError(`the audit service sent an empty answer for ${path}`, ExitCode.failure);
  const exportPath = output(exportId);
  const partial = `${exportPath}.partial`;
  const digest = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      digest.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      tap,
      createWriteStream(partial, { flags: 'w' }),
    );
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    const why = errorMessage(error);
    throw new CliError(
      `the export could not be saved to ${exportPath} (cut short after ${bytes} bytes: ${why}); nothing was kept`,
      ExitCode.failure,
    );
  }
  await rename(partial, exportPath);
  const sha256 = digest.digest('hex');

  const manifestResponse = await client.stream(`/audit/exports/${exportId}/manifest`);
  const manifestText = await manifestResponse.text();
  let manifest: z.infer<typeof manifestFigures>;
  try {
    manifest = manifestFigures.parse(JSON.parse(manifestText));
  } catch {
    throw new CliError(`the manifest of export ${exportId} is not a manifest`, ExitCode.failure);
  }
  const manifestPath = manifestOutput ?? manifestPathFor(exportPath);
  await writeFile(manifestPath, manifestText);
  if (manifest.exportSha256 !== sha256) {
    throw new CliError(
      `${exportPath} is not the file the manifest describes (sha256 ${sha256}, manifest says ${manifest.exportSha256}): download it again`,
      ExitCode.failure,
    );
  }
  return { exportId, exportPath, manifestPath, bytes, sha256, manifest };
}
