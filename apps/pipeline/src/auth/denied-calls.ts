/** One refused call, as the guard saw it. */
export interface DeniedCall {
  method: string;
  path: string;
  status: 401 | 403;
  reason: string;
  caller: string | null;
  role: string | null;
  remoteAddress: string | null;
}

/** What is written to the audit log for one or more identical refusals. */
export interface DeniedCallRecord extends DeniedCall {
  count: number;
  firstAt: string;
  lastAt: string;
}

interface Window {
  call: DeniedCall;
  /** When the record that opened this window was written (ms). */
  openedAt: number;
  /** Repeats seen since then, not yet written. */
  pending: number;
  pendingFirstAt: number;
  pendingLastAt: number;
}

export interface DeniedCallTallyOptions {
  /** Identical refusals within this long of a written record are counted, not written one by one. */
  windowMs: number;
  /** Distinct refusals tracked at once; beyond it refusals are counted under one overflow record. */
  maxKeys: number;
}

const OVERFLOW_KEY = '\u0000overflow';

/**
 * Bounds what refused calls cost the audit log without losing any: the first refusal of a kind
 * (same caller, address, method, path, status) is written at once; its repeats within the window are
 * counted and written as one record when the window ends. A flood of distinct refusals past
 * `maxKeys` is counted under one overflow record. Pure: the clock is passed in.
 */
export class DeniedCallTally {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly options: DeniedCallTallyOptions) {}

  /** A refusal: the record to write now, or undefined when it is counted into a later one. */
  denied(call: DeniedCall, now: number): DeniedCallRecord | undefined {
    let key = keyOf(call);
    if (!this.windows.has(key) && this.windows.size >= this.options.maxKeys) {
      key = OVERFLOW_KEY;
      call = {
        method: '*',
        path: '*',
        status: call.status,
        reason: `more than ${this.options.maxKeys} different refused calls at once; counted together`,
        caller: null,
        role: null,
        remoteAddress: null,
      };
    }
    const open = this.windows.get(key);
    if (open === undefined) {
      this.windows.set(key, { call, openedAt: now, pending: 0, pendingFirstAt: now, pendingLastAt: now });
      return record(call, 1, now, now);
    }
    if (open.pending === 0) open.pendingFirstAt = now;
    open.pending += 1;
    open.pendingLastAt = now;
    return undefined;
  }

  /** Records of every window that has ended with repeats in it; windows that ended are forgotten. */
  flush(now: number, all = false): DeniedCallRecord[] {
    const records: DeniedCallRecord[] = [];
    for (const [key, window] of this.windows) {
      if (!all && now - window.openedAt < this.options.windowMs) continue;
      if (window.pending > 0)
        records.push(record(window.call, window.pending, window.pendingFirstAt, window.pendingLastAt));
      this.windows.delete(key);
    }
    return records;
  }

  /** Refusals counted and not yet written. */
  pendingCount(): number {
    let total = 0;
    for (const window of this.windows.values()) total += window.pending;
    return total;
  }
}

function keyOf(call: DeniedCall): string {
  return JSON.stringify([call.caller, call.remoteAddress, call.method, call.path, call.status]);
}

function record(call: DeniedCall, count: number, first: number, last: number): DeniedCallRecord {
  return { ...call, count, firstAt: new Date(first).toISOString(), lastAt: new Date(last).toISOString() };
}
