import { readFile } from 'node:fs/promises';

/** True while `pid` runs and is not a zombie (an exited child nobody reaped yet). */
export async function isProcessAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

/** Reads a pid file; undefined when it is missing or does not hold a positive integer. */
export async function readPidFile(pidFile: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const pid = Number(text.trim());
  return pid > 0 ? pid : undefined;
}
