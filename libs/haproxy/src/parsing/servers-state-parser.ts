import { HaproxyParseError } from '../errors/haproxy-errors';

/** `srv_op_state`: what health checks make of the server. */
export type ServerOperationalState = 'STOPPED' | 'STARTING' | 'RUNNING' | 'STOPPING';

const OPERATIONAL_STATES: readonly ServerOperationalState[] = ['STOPPED', 'STARTING', 'RUNNING', 'STOPPING'];

/** The flags of `srv_admin_state` (HAProxy 2.6 `enum srv_admin`). */
export interface ServerAdminFlags {
  /** 0x01: forced into maintenance (`set server … state maint`). */
  readonly forcedMaint: boolean;
  /** 0x02: maintenance inherited from a tracked server. */
  readonly inheritedMaint: boolean;
  /** 0x04: maintenance from the configuration (`disabled`). */
  readonly configMaint: boolean;
  /** 0x08: forced into drain (`set server … state drain`). */
  readonly forcedDrain: boolean;
  /** 0x10: drain inherited from a tracked server. */
  readonly inheritedDrain: boolean;
  /** 0x20: maintenance because its address could not be resolved. */
  readonly resolutionMaint: boolean;
  /** 0x40: FQDN set over the runtime API. */
  readonly fqdnSetByCli: boolean;
}

/** The administrative state those flags amount to. */
export type EffectiveAdminState = 'ready' | 'drain' | 'maint';

export interface ServerStateRow {
  readonly backendId: number;
  readonly backend: string;
  readonly serverId: number;
  readonly server: string;
  readonly address: string;
  readonly port: number | undefined;
  readonly operationalState: ServerOperationalState;
  readonly adminStateBits: number;
  readonly adminFlags: ServerAdminFlags;
  readonly adminState: EffectiveAdminState;
  readonly userWeight: number;
  readonly initialWeight: number;
  readonly secondsSinceLastChange: number;
  /** Every column by header name, unparsed. */
  readonly fields: Readonly<Record<string, string>>;
}

export function decodeAdminFlags(bits: number): ServerAdminFlags {
  return {
    forcedMaint: (bits & 0x01) !== 0,
    inheritedMaint: (bits & 0x02) !== 0,
    configMaint: (bits & 0x04) !== 0,
    forcedDrain: (bits & 0x08) !== 0,
    inheritedDrain: (bits & 0x10) !== 0,
    resolutionMaint: (bits & 0x20) !== 0,
    fqdnSetByCli: (bits & 0x40) !== 0,
  };
}

/** Maintenance wins over drain, as in HAProxy. */
export function effectiveAdminState(flags: ServerAdminFlags): EffectiveAdminState {
  if (flags.forcedMaint || flags.inheritedMaint || flags.configMaint || flags.resolutionMaint) return 'maint';
  if (flags.forcedDrain || flags.inheritedDrain) return 'drain';
  return 'ready';
}

/** Parses `show servers state [backend]` (format version 1). */
export function parseServersState(text: string): ServerStateRow[] {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (lines[0] !== '1') {
    throw new HaproxyParseError(
      'show servers state',
      `expected format version "1" on the first line, got "${lines[0] ?? '(empty answer)'}"`,
    );
  }
  const headerLine = lines[1];
  if (!headerLine?.startsWith('# ')) {
    throw new HaproxyParseError(
      'show servers state',
      'the second line is not the "# be_id be_name …" header',
    );
  }
  const header = headerLine.slice(2).split(/\s+/);
  return lines.slice(2).map((line, index) => toRow(header, line.split(/\s+/), index + 3));
}

function toRow(header: readonly string[], values: readonly string[], lineNumber: number): ServerStateRow {
  if (values.length < header.length) {
    throw new HaproxyParseError(
      'show servers state',
      `line ${lineNumber} has ${values.length} fields, the header names ${header.length}`,
    );
  }
  const fields: Record<string, string> = {};
  header.forEach((name, index) => {
    fields[name] = values[index];
  });
  const int = (column: string): number => {
    const value = Number(fields[column]);
    if (fields[column] === undefined || !Number.isInteger(value)) {
      throw new HaproxyParseError(
        'show servers state',
        `line ${lineNumber}: column ${column} is "${fields[column] ?? '(missing)'}", not an integer`,
      );
    }
    return value;
  };
  const operational = OPERATIONAL_STATES[int('srv_op_state')];
  if (operational === undefined) {
    throw new HaproxyParseError(
      'show servers state',
      `line ${lineNumber}: unknown srv_op_state "${fields['srv_op_state']}"`,
    );
  }
  const adminStateBits = int('srv_admin_state');
  const adminFlags = decodeAdminFlags(adminStateBits);
  const port = Number(fields['srv_port']);
  return {
    backendId: int('be_id'),
    backend: fields['be_name'],
    serverId: int('srv_id'),
    server: fields['srv_name'],
    address: fields['srv_addr'],
    port: Number.isInteger(port) && port > 0 ? port : undefined,
    operationalState: operational,
    adminStateBits,
    adminFlags,
    adminState: effectiveAdminState(adminFlags),
    userWeight: int('srv_uweight'),
    initialWeight: int('srv_iweight'),
    secondsSinceLastChange: int('srv_time_since_last_change'),
    fields,
  };
}
