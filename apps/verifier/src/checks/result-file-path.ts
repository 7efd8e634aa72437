import { isAbsolute, relative, resolve } from 'node:path';

export type ResultFilePath = { ok: true; path: string } | { ok: false; problem: string };

/**
 * Where a suite's result file is read: inside its fresh working directory, never outside it
 * (so a stale file from an earlier run can never be read as this run's result).
 */
export function resolveResultFile(workDir: string, resultFile: string): ResultFilePath {
  const path = resolve(workDir, resultFile);
  const inside = relative(workDir, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return {
      ok: false,
      problem: `resultFile "${resultFile}" must be a file path inside the suite's working directory`,
    };
  }
  return { ok: true, path };
}
