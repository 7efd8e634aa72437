import { setTimeout as sleep } from 'node:timers/promises';
import { describeRuntimeAddress, parseRuntimeAddress, type RuntimeAddress } from '../address/runtime-address';
import {
  assertActionSucceeded,
  raiseKnownFailure,
  type CommandContext,
} from '../commands/response-classifier';
import { SHOW_STAT_COMMAND, shutdownSessionsCommand } from '../commands/runtime-commands';
import { HaproxyCommandError, HaproxyTimeoutError, HaproxyUnreachableError } from '../errors/haproxy-errors';
import { parseShowProc, liveWorkers, type ProcessList } from '../parsing/show-proc-parser';
import { parseShowStat, type StatRow } from '../parsing/show-stat-parser';
import { sendRuntimeCommand } from '../transport/runtime-transport';
import { isWorkerGone, workerCommand } from './master-commands';

export interface HaproxyMasterClientOptions {
  /** The master CLI (`haproxy -W -S <address>`): a unix socket path or `host:port`. */
  readonly address: string | RuntimeAddress;
  /** Time allowed for each command. Default 5000 ms. */
  readonly timeoutMs?: number;
}

/** `show stat` of one worker, and whether it is an old (soft-stopping) one. */
export interface WorkerStat {
  readonly pid: number;
  readonly old: boolean;
  readonly rows: readonly StatRow[];
}

/**
 * Client of HAProxy's master CLI (master-worker mode, `-W -S`): lists the processes, reaches
 * any worker still running — old ones that finish their sessions after a reload included —
 * with `@!<pid>`, and reloads.
 */
export class HaproxyMasterClient {
  readonly address: RuntimeAddress;
  readonly timeoutMs: number;
  private readonly described: string;

  constructor(options: HaproxyMasterClientOptions) {
    this.address =
      typeof options.address === 'string' ? parseRuntimeAddress(options.address) : options.address;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.described = `master CLI ${describeRuntimeAddress(this.address)}`;
  }

  async showProc(): Promise<ProcessList> {
    return parseShowProc(await this.send('show proc'));
  }

  /** Sends a command to one worker; null when that worker has exited meanwhile. */
  async onWorker(pid: number, command: string): Promise<string | null> {
    const answer = await this.send(workerCommand(pid, command));
    return isWorkerGone(answer) ? null : answer;
  }

  /** `show stat` of every worker still running (current and old); workers gone meanwhile are left out. */
  async statOfEveryWorker(): Promise<WorkerStat[]> {
    const list = await this.showProc();
    const old = new Set(list.oldWorkers.map((row) => row.pid));
    const stats: WorkerStat[] = [];
    for (const worker of liveWorkers(list)) {
      const answer = await this.onWorker(worker.pid, SHOW_STAT_COMMAND);
      if (answer === null) continue;
      raiseKnownFailure(answer, this.context(`@!${worker.pid} ${SHOW_STAT_COMMAND}`));
      stats.push({ pid: worker.pid, old: old.has(worker.pid), rows: parseShowStat(answer) });
    }
    return stats;
  }

  /** `show stat` of the old workers only (the current one answers on the stats socket). */
  async statOfOldWorkers(): Promise<WorkerStat[]> {
    const list = await this.showProc();
    const stats: WorkerStat[] = [];
    for (const worker of list.oldWorkers) {
      const answer = await this.onWorker(worker.pid, SHOW_STAT_COMMAND);
      if (answer === null) continue;
      raiseKnownFailure(answer, this.context(`@!${worker.pid} ${SHOW_STAT_COMMAND}`));
      stats.push({ pid: worker.pid, old: true, rows: parseShowStat(answer) });
    }
    return stats;
  }

  /** `shutdown sessions server` on every old worker still running; returns the pids reached. */
  async shutdownSessionsOnOldWorkers(backend: string, server: string): Promise<number[]> {
    const command = shutdownSessionsCommand(backend, server);
    const reached: number[] = [];
    for (const worker of (await this.showProc()).oldWorkers) {
      const answer = await this.onWorker(worker.pid, command);
      if (answer === null) continue;
      assertActionSucceeded(answer, this.context(`@!${worker.pid} ${command}`, backend, server));
      reached.push(worker.pid);
    }
    return reached;
  }

  /**
   * Graceful reload (`reload` on the master CLI, like SIGUSR2): the master re-reads the config and
   * starts new workers; old ones stop accepting and finish their sessions. Resolves once the master
   * counts the reload, with the new process list; a reload the master counts as failed (bad config)
   * raises HaproxyCommandError.
   */
  async reload(options: { timeoutMs?: number; pollMs?: number } = {}): Promise<ProcessList> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    // Right after an earlier reload the master may still be re-executing: its socket refuses for a moment.
    let before: ProcessList | undefined;
    while (before === undefined) {
      try {
        before = await this.showProc();
      } catch (error) {
        if (!(error instanceof HaproxyUnreachableError) || Date.now() >= deadline) throw error;
        await sleep(options.pollMs ?? 50);
      }
    }
    // The master re-executes itself: it closes this connection without an answer.
    await this.send('reload').catch(() => '');
    for (;;) {
      await sleep(options.pollMs ?? 50);
      const after = await this.showProc().catch(() => undefined);
      if (after) {
        if (after.failedReloads > before.failedReloads) {
          throw new HaproxyCommandError('reload', 'the master counted a failed reload (check the config)');
        }
        const current = new Set(before.workers.map((row) => row.pid));
        if (after.master.reloads > before.master.reloads && after.workers.every((w) => !current.has(w.pid))) {
          return after;
        }
      }
      if (Date.now() >= deadline) throw new HaproxyTimeoutError(this.described, 'reload', timeoutMs);
    }
  }

  private send(command: string): Promise<string> {
    return sendRuntimeCommand(this.address, command, this.timeoutMs, { halfClose: true });
  }

  private context(command: string, backend?: string, server?: string): CommandContext {
    return { command, address: this.described, backend, server };
  }
}

/** Current sessions (`scur`) of a server summed over the given workers' `show stat`. */
export function sessionsAcrossWorkers(stats: readonly WorkerStat[], backend: string, server: string): number {
  let total = 0;
  for (const stat of stats) {
    const row = stat.rows.find(
      (candidate) => candidate.type === 'server' && candidate.proxy === backend && candidate.name === server,
    );
    total += row?.currentSessions ?? 0;
  }
  return total;
}
