import { describeRuntimeAddress, parseRuntimeAddress, type RuntimeAddress } from '../address/runtime-address';
import {
  assertActionSucceeded,
  raiseKnownFailure,
  type CommandContext,
} from '../commands/response-classifier';
import {
  agentCommand,
  assertSingleCommand,
  healthCommand,
  SHOW_STAT_COMMAND,
  setServerStateCommand,
  setWeightCommand,
  showServersStateCommand,
  shutdownSessionsCommand,
  type ServerAdminState,
  type ServerWeight,
} from '../commands/runtime-commands';
import { InvalidHaproxyArgumentError } from '../errors/haproxy-errors';
import { parseServersState, type ServerStateRow } from '../parsing/servers-state-parser';
import { parseShowStat, type StatRow } from '../parsing/show-stat-parser';
import { requireServerRow } from '../parsing/stat-snapshot';
import { sendRuntimeCommand } from '../transport/runtime-transport';
import { waitForSessions, type WaitForSessionsOptions } from './wait-for-sessions';

export interface HaproxyRuntimeClientOptions {
  /** `/path/admin.sock`, `unix:/path`, `host:port`, `tcp://host:port`, or a parsed address. */
  readonly address: string | RuntimeAddress;
  /** Time allowed for each command, connect to last byte. Default 5000 ms. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Client of the HAProxy 2.6 Runtime API. One connection per command (HAProxy closes after
 * answering in non-interactive mode); every call has a timeout.
 */
export class HaproxyRuntimeClient {
  readonly address: RuntimeAddress;
  readonly timeoutMs: number;
  private readonly described: string;

  constructor(options: HaproxyRuntimeClientOptions) {
    this.address =
      typeof options.address === 'string' ? parseRuntimeAddress(options.address) : options.address;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new InvalidHaproxyArgumentError(
        `timeoutMs ${this.timeoutMs}`,
        'must be a positive number of milliseconds',
      );
    }
    this.described = describeRuntimeAddress(this.address);
  }

  /** Sends one single-line command and returns HAProxy's answer verbatim, unjudged. */
  async command(text: string, options: { timeoutMs?: number } = {}): Promise<string> {
    assertSingleCommand(text);
    return sendRuntimeCommand(this.address, text, options.timeoutMs ?? this.timeoutMs);
  }

  /** `show stat`, parsed: one row per frontend, backend, server (and listener). */
  async showStat(): Promise<StatRow[]> {
    const response = await this.command(SHOW_STAT_COMMAND);
    raiseKnownFailure(response, this.context(SHOW_STAT_COMMAND));
    return parseShowStat(response);
  }

  /** `show servers state [backend]`, parsed. */
  async showServersState(backend?: string): Promise<ServerStateRow[]> {
    const command = showServersStateCommand(backend);
    const response = await this.command(command);
    raiseKnownFailure(response, this.context(command, backend));
    return parseServersState(response);
  }

  setServerState(backend: string, server: string, state: ServerAdminState): Promise<void> {
    return this.action(setServerStateCommand(backend, server, state), backend, server);
  }

  /** Absolute weight 0..256 or a percentage of the initial weight ("50%"). */
  setWeight(backend: string, server: string, weight: ServerWeight): Promise<void> {
    return this.action(setWeightCommand(backend, server, weight), backend, server);
  }

  enableHealth(backend: string, server: string): Promise<void> {
    return this.action(healthCommand(backend, server, true), backend, server);
  }

  disableHealth(backend: string, server: string): Promise<void> {
    return this.action(healthCommand(backend, server, false), backend, server);
  }

  enableAgent(backend: string, server: string): Promise<void> {
    return this.action(agentCommand(backend, server, true), backend, server);
  }

  disableAgent(backend: string, server: string): Promise<void> {
    return this.action(agentCommand(backend, server, false), backend, server);
  }

  /** Closes every session currently established on the server. */
  shutdownSessions(backend: string, server: string): Promise<void> {
    return this.action(shutdownSessionsCommand(backend, server), backend, server);
  }

  /** Current sessions (`scur`) of one server; raises UnknownBackendError/UnknownServerError. */
  async currentSessions(backend: string, server: string): Promise<number> {
    return requireServerRow(await this.showStat(), backend, server).currentSessions;
  }

  /**
   * Polls `show stat` until the server has at most `atMost` (default 0) sessions; resolves
   * with the last count, or rejects with SessionWaitTimeoutError.
   */
  waitForSessions(backend: string, server: string, options: WaitForSessionsOptions): Promise<number> {
    return waitForSessions(() => this.showStat(), backend, server, options);
  }

  private async action(command: string, backend: string, server: string): Promise<void> {
    const response = await this.command(command);
    assertActionSucceeded(response, this.context(command, backend, server));
  }

  private context(command: string, backend?: string, server?: string): CommandContext {
    return { command, address: this.described, backend, server };
  }
}
