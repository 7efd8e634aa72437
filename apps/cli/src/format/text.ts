/** Small text helpers shared by the formatters. Pure. */

/** 0 → "0s", 61_000 → "1m01s", 3_725_000 → "1h02m05s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(seconds)}s`;
  if (minutes > 0) return `${minutes}m${pad(seconds)}s`;
  return `${seconds}s`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "10:02:13Z" from an ISO time (UTC, so CI logs from any machine agree). */
export function clockTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '--:--:--Z';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '--:--:--Z';
  return `${date.toISOString().slice(11, 19)}Z`;
}

/** Rows as aligned columns (the last column is not padded). */
export function table(rows: readonly (readonly string[])[], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd((widths[index] ?? 0) + gap)))
      .join('')
      .trimEnd(),
  );
}

/** "a, b and c". */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const plural = (count: number, noun: string, many = `${noun}s`) =>
  `${count} ${count === 1 ? noun : many}`;
