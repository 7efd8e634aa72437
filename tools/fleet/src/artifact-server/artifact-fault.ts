/** Fault injection for the artifact server: what goes wrong while a file is served. */
export interface ArtifactFault {
  /** Send the full Content-Length header, then only this many body bytes, then destroy the connection. */
  readonly breakAfter?: number;
  /** Throttle the body to about this many bytes per second (slow mode). */
  readonly bytesPerSecond?: number;
  /** Wait this long before sending the response headers. */
  readonly delayMs?: number;
}

const FAULT_PARAMETERS = ['breakAfter', 'bytesPerSecond', 'delayMs'] as const;
type FaultParameter = (typeof FAULT_PARAMETERS)[number];

const LIMITS: Record<FaultParameter, { min: number; max: number }> = {
  breakAfter: { min: 0, max: Number.MAX_SAFE_INTEGER },
  bytesPerSecond: { min: 1, max: Number.MAX_SAFE_INTEGER },
  delayMs: { min: 0, max: 120_000 },
};

export type FaultParseResult =
  | { readonly ok: true; readonly fault: ArtifactFault }
  | { readonly ok: false; readonly error: string };

/**
 * Reads `?breakAfter=N`, `?bytesPerSecond=N` and `?delayMs=N` from a request's query; each given value
 * overrides the file's configured fault. A malformed value is an error naming the parameter.
 */
export function faultFromQuery(query: URLSearchParams, configured: ArtifactFault = {}): FaultParseResult {
  const fault: { -readonly [K in FaultParameter]?: number } = { ...configured };
  for (const name of FAULT_PARAMETERS) {
    const text = query.get(name);
    if (text === null) continue;
    const { min, max } = LIMITS[name];
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      return { ok: false, error: `${name} must be an integer ${min}..${max}, got ${JSON.stringify(text)}` };
    }
    fault[name] = Number(text);
  }
  return { ok: true, fault };
}

/** How many bytes to send in the next chunk and how long to wait after it, for a throttled body. */
export function throttleStep(bytesPerSecond: number | undefined): { chunkBytes: number; pauseMs: number } {
  if (bytesPerSecond === undefined) return { chunkBytes: 64 * 1024, pauseMs: 0 };
  const ticksPerSecond = 10;
  return {
    chunkBytes: Math.max(1, Math.floor(bytesPerSecond / ticksPerSecond)),
    pauseMs: 1000 / ticksPerSecond,
  };
}
