/** Normalised status of a stats row, after HAProxy's `status` column. */
export type StatStatus =
  | 'UP'
  | 'DOWN'
  | 'DRAIN'
  | 'MAINT'
  | 'NOLB'
  | 'NO_CHECK'
  | 'OPEN'
  | 'FULL'
  | 'STOP'
  | 'UNKNOWN';

/**
 * A health transition in progress: "UP 1/3" is up but failing (1 of 3 failed checks
 * before it goes down); "DOWN 1/2" is down but recovering (1 of 2 good checks before up).
 */
export interface StatusTransition {
  readonly towards: 'UP' | 'DOWN';
  readonly checks: number;
  readonly needed: number;
}

export interface ParsedStatus {
  readonly status: StatStatus;
  /** Exactly what HAProxy printed, e.g. "MAINT (via be/s1)". */
  readonly raw: string;
  readonly transition?: StatusTransition;
  /** Why, when HAProxy says: "agent", "resolution" or "via <backend>/<server>". */
  readonly reason?: string;
}

const PLAIN: Readonly<Record<string, StatStatus>> = {
  UP: 'UP',
  DOWN: 'DOWN',
  DRAIN: 'DRAIN',
  MAINT: 'MAINT',
  NOLB: 'NOLB',
  'no check': 'NO_CHECK',
  OPEN: 'OPEN',
  FULL: 'FULL',
  STOP: 'STOP',
};

/** Turns HAProxy's status text ("UP 1/3", "MAINT (via a/b)", "no check"…) into a typed status. */
export function normaliseStatus(raw: string): ParsedStatus {
  const text = raw.trim();
  const plain = PLAIN[text];
  if (plain) return { status: plain, raw };

  const transition = /^(UP|DOWN|NOLB|DRAIN) (\d+)\/(\d+)$/.exec(text);
  if (transition) {
    const status = PLAIN[transition[1]] ?? 'UNKNOWN';
    return {
      status,
      raw,
      transition: {
        towards: status === 'DOWN' ? 'UP' : 'DOWN',
        checks: Number(transition[2]),
        needed: Number(transition[3]),
      },
    };
  }

  const withReason = /^(UP|DOWN|NOLB|DRAIN|MAINT) \((.+)\)$/.exec(text);
  if (withReason) {
    return { status: PLAIN[withReason[1]] ?? 'UNKNOWN', raw, reason: withReason[2] };
  }
  return { status: 'UNKNOWN', raw };
}
