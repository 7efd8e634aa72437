import { HaproxyParseError } from '../errors/haproxy-errors';

/** One process listed by the master CLI's `show proc`. */
export interface ProcessRow {
  readonly pid: number;
  /** `master`, `worker`, or a program's name. */
  readonly type: string;
  /** Reloads this process has lived through (a worker: how many reloads ago it was started). */
  readonly reloads: number;
  readonly uptime: string;
  readonly version: string;
}

/** `show proc` on the master CLI: the master, the current worker(s), and old workers still finishing. */
export interface ProcessList {
  readonly master: ProcessRow;
  /** Failed reloads the master counted (`[failed: N]`). */
  readonly failedReloads: number;
  /** Workers started by the latest (successful) load: the ones new connections reach. */
  readonly workers: readonly ProcessRow[];
  /** Workers of earlier loads, soft-stopping: they still serve the sessions they hold. */
  readonly oldWorkers: readonly ProcessRow[];
}

type Section = 'master' | 'workers' | 'old workers' | 'programs';

const ROW = /^(\d+)\s+(\S+)\s+(\d+)(?:\s+\[failed:\s*(\d+)\])?\s+(\S+)\s*(\S*)\s*$/;

/** Parses HAProxy 2.6's `show proc` (master CLI); throws HaproxyParseError naming the odd line. */
export function parseShowProc(text: string): ProcessList {
  let section: Section = 'master';
  let master: ProcessRow | undefined;
  let failedReloads = 0;
  const workers: ProcessRow[] = [];
  const oldWorkers: ProcessRow[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line.length === 0 || line.startsWith('#<PID>')) continue;
    if (line.startsWith('#')) {
      const heading = line.slice(1).trim();
      if (heading === 'workers' || heading === 'old workers' || heading === 'programs') {
        section = heading;
        continue;
      }
      throw new HaproxyParseError('show proc', `unknown section "${line}"`);
    }
    const match = ROW.exec(line);
    if (!match) throw new HaproxyParseError('show proc', `unexpected line "${line}"`);
    const row: ProcessRow = {
      pid: Number(match[1]),
      type: match[2],
      reloads: Number(match[3]),
      uptime: match[5],
      version: match[6],
    };
    if (section === 'master') {
      master = row;
      failedReloads = Number(match[4] ?? 0);
    } else if (section === 'workers') workers.push(row);
    else if (section === 'old workers') oldWorkers.push(row);
  }
  if (!master) throw new HaproxyParseError('show proc', 'no master line (is this the master CLI?)');
  return { master, failedReloads, workers, oldWorkers };
}

/** Every worker still running, current ones first: the processes that may hold sessions. */
export function liveWorkers(list: ProcessList): readonly ProcessRow[] {
  return [...list.workers, ...list.oldWorkers];
}
