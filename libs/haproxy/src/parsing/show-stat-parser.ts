import { HaproxyParseError } from '../errors/haproxy-errors';
import { splitCsvLine } from './csv-line';
import { normaliseStatus, type ParsedStatus } from './server-status';

export type StatRowType = 'frontend' | 'backend' | 'server' | 'listener';

/** One row of `show stat`, with the columns Conveyor uses typed and all of them kept raw. */
export interface StatRow {
  /** Proxy name: the frontend or backend (`pxname`). */
  readonly proxy: string;
  /** `FRONTEND`, `BACKEND` or the server's name (`svname`). */
  readonly name: string;
  readonly type: StatRowType;
  readonly status: ParsedStatus;
  /** Current sessions (`scur`). */
  readonly currentSessions: number;
  /** Effective weight; undefined for frontends. */
  readonly weight: number | undefined;
  /** Weight set by the user (`uweight`), when HAProxy reports it. */
  readonly userWeight: number | undefined;
  /** e.g. "L7OK", "L4CON", "* L7OK" while a check runs; undefined when not checked. */
  readonly checkStatus: string | undefined;
  readonly checkDescription: string | undefined;
  /** Total sessions served so far (`stot`). */
  readonly totalSessions: number;
  /** Every column by header name, unparsed. */
  readonly fields: Readonly<Record<string, string>>;
}

const ROW_TYPES: readonly StatRowType[] = ['frontend', 'backend', 'server', 'listener'];

/** Parses the CSV answer of `show stat` (HAProxy 2.x header `# pxname,svname,…`). */
export function parseShowStat(csv: string): StatRow[] {
  const lines = csv.split('\n').map((line) => line.replace(/\r$/, ''));
  const headerIndex = lines.findIndex((line) => line.startsWith('# '));
  if (headerIndex < 0) {
    const firstLine = lines.find((line) => line.trim().length > 0) ?? '(empty answer)';
    throw new HaproxyParseError('show stat', `no "# pxname,svname,…" header; HAProxy said: ${firstLine}`);
  }
  const header = splitCsvLine(lines[headerIndex].slice(2));
  for (const required of ['pxname', 'svname', 'scur', 'status', 'type']) {
    if (!header.includes(required)) {
      throw new HaproxyParseError('show stat', `header lacks column "${required}"`);
    }
  }
  return lines
    .slice(headerIndex + 1)
    .filter((line) => line.trim().length > 0)
    .map((line, index) => toStatRow(header, splitCsvLine(line), headerIndex + 2 + index));
}

function toStatRow(header: readonly string[], values: readonly string[], lineNumber: number): StatRow {
  const fields: Record<string, string> = {};
  header.forEach((name, index) => {
    if (name.length > 0 && name !== '-') fields[name] = values[index] ?? '';
  });
  const typeCode = Number(fields['type']);
  const type = ROW_TYPES[typeCode];
  if (fields['type'] === '' || type === undefined) {
    throw new HaproxyParseError('show stat', `line ${lineNumber}: unknown row type "${fields['type']}"`);
  }
  return {
    proxy: fields['pxname'],
    name: fields['svname'],
    type,
    status: normaliseStatus(fields['status']),
    currentSessions: toCount(fields['scur'], 'scur', lineNumber),
    weight: optionalNumber(fields['weight']),
    userWeight: optionalNumber(fields['uweight']),
    checkStatus: optionalText(fields['check_status']),
    checkDescription: optionalText(fields['check_desc']),
    totalSessions: toCount(fields['stot'] ?? '0', 'stot', lineNumber),
    fields,
  };
}

function toCount(value: string, column: string, lineNumber: number): number {
  if (value === '') return 0;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new HaproxyParseError(
      'show stat',
      `line ${lineNumber}: column ${column} is "${value}", not a count`,
    );
  }
  return parsed;
}

function optionalNumber(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function optionalText(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
