/**
 * Resolves a `Quantity` (a count, or a percentage such as "25%" or "12.5%") to a number of
 * servers. Percentages are resolved with integer arithmetic so that "10%" of 30 is exactly 3
 * (floating point would give 3.0000000000000004 and round up to 4).
 */

export type QuantityResult =
  | { readonly ok: true; readonly servers: number }
  | { readonly ok: false; readonly reason: string };

export interface QuantityRules {
  /** Whether 0 (or "0%") is acceptable. */
  readonly allowZero: boolean;
}

const PERCENT_PATTERN = /^(\d{1,3})(?:\.(\d{1,4}))?%$/;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** `ceil(numerator / denominator)` for non-negative safe integers. */
function ceilDiv(numerator: number, denominator: number): number {
  return Math.floor((numerator + denominator - 1) / denominator);
}

function resolvePercent(
  text: string,
  field: string,
  fleetSize: number,
  rules: QuantityRules,
): QuantityResult {
  const match = PERCENT_PATTERN.exec(text);
  const expected = rules.allowZero ? 'between "0%" and "100%"' : 'above "0%" and at most "100%"';
  if (match === null) {
    return {
      ok: false,
      reason: `${field} must be a count or a percentage ${expected}, got ${describe(text)}`,
    };
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const scale = 10 ** fraction.length;
  const hundredths = Number(whole + fraction); // percent × scale, an integer
  if (hundredths > 100 * scale || (!rules.allowZero && hundredths === 0)) {
    return { ok: false, reason: `${field} must be a percentage ${expected}, got ${describe(text)}` };
  }
  return { ok: true, servers: ceilDiv(fleetSize * hundredths, 100 * scale) };
}

/**
 * Resolves `value` against a fleet of `fleetSize` servers. Counts must be whole numbers;
 * percentages round up, so any non-zero percentage of a non-empty fleet is at least 1.
 */
export function resolveQuantity(
  value: unknown,
  field: string,
  fleetSize: number,
  rules: QuantityRules,
): QuantityResult {
  if (typeof value === 'string') {
    return resolvePercent(value, field, fleetSize, rules);
  }
  const minimum = rules.allowZero ? 0 : 1;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    return {
      ok: false,
      reason: `${field} must be a whole number of servers of at least ${minimum} or a percentage like "25%", got ${describe(value)}`,
    };
  }
  return { ok: true, servers: value };
}
