/** A non-negative integer attribute such as tests="12"; undefined when absent or not a count. */
export function parseCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * A duration in seconds such as time="1.25" or surefire's grouped "1,234.5"; undefined
 * when absent or unreadable (a comma is only accepted as a thousands separator).
 */
export function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(trimmed)) return Number(trimmed.replace(/,/g, ''));
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : undefined;
}
