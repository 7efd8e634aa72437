import { errorMessage } from '@conveyor/errors';
import type { Command } from 'commander';
import {
  configFilePath,
  missingSettingMessage,
  resolveConfig,
  type CliConfig,
  type SettingKey,
} from './config/cli-config';
import { CliError, ExitCode, type ExitCode as ExitCodeValue } from './exit-codes';
import { ApiClient } from './http/api-client';
import type { ServiceName } from './http/api-errors';

/** A place to write: stdout or stderr, and what kind of thing it is. */
export interface OutputStream {
  write(text: string): void;
  isTTY: boolean;
  /** Terminal size (80×24 when unknown). */
  columns: number;
  rows: number;
}

/** Everything the CLI touches outside itself, so the shell stays thin. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** The file's text, or null when it does not exist. */
  readFile(path: string): Promise<string | null>;
  readStdin(): Promise<string>;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Registers a handler for Ctrl-C; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
}

export interface GlobalOptions {
  url?: string;
  token?: string;
  auditUrl?: string;
  auditToken?: string;
  poolsUrl?: string;
  orchestratorUrl?: string;
  config?: string;
  json?: boolean;
}

/**
 * Every service takes the same person's token, issued by the pipeline (the audit service and the
 * pool manager learn it from the pipeline's identity events). `auditToken`, when set, is used for
 * the audit service instead (an auditor's token next to a deployer's). First setting present wins.
 */
const ENDPOINTS: Record<
  'pipeline' | 'audit' | 'pools' | 'orchestrator',
  { service: ServiceName; url: SettingKey; tokens: readonly SettingKey[] }
> = {
  pipeline: { service: 'pipeline', url: 'url', tokens: ['token'] },
  audit: { service: 'audit service', url: 'auditUrl', tokens: ['auditToken', 'token'] },
  pools: { service: 'pool manager', url: 'poolsUrl', tokens: ['token'] },
  orchestrator: { service: 'orchestrator', url: 'orchestratorUrl', tokens: ['token'] },
};

/** Per-invocation state shared by the commands: io, configuration, clients, the exit code. */
export class CliContext {
  exitCode: ExitCodeValue = ExitCode.ok;
  private config: CliConfig | null = null;

  constructor(readonly io: CliIo) {}

  globals(command: Command): GlobalOptions {
    return command.optsWithGlobals<GlobalOptions>();
  }

  wantsJson(command: Command): boolean {
    return this.globals(command).json === true;
  }

  async resolveConfig(command: Command): Promise<CliConfig> {
    if (this.config !== null) return this.config;
    const options = this.globals(command);
    const file = configFilePath(options.config, this.io.env, this.io.homeDir);
    let contents: string | null;
    try {
      contents = await this.io.readFile(file.path);
    } catch (error) {
      throw new CliError(`cannot read config file ${file.path}: ${errorMessage(error)}`, ExitCode.usage);
    }
    const flags = {
      url: options.url,
      token: options.token,
      auditUrl: options.auditUrl,
      auditToken: options.auditToken,
      poolsUrl: options.poolsUrl,
      orchestratorUrl: options.orchestratorUrl,
    };
    const result = resolveConfig({ flags, env: this.io.env, file: { ...file, contents } });
    if (!result.ok) throw new CliError('the configuration is invalid', ExitCode.usage, result.problems);
    this.config = result.config;
    return result.config;
  }

  async client(command: Command, which: keyof typeof ENDPOINTS): Promise<ApiClient> {
    const config = await this.resolveConfig(command);
    const endpoint = ENDPOINTS[which];
    const url = config.settings[endpoint.url];
    const missing: string[] = [];
    if (url === undefined) missing.push(missingSettingMessage(endpoint.url, config.configPath));
    const token = endpoint.tokens.map((key) => config.settings[key]).find((setting) => setting !== undefined);
    const lastResort = endpoint.tokens[endpoint.tokens.length - 1];
    if (token === undefined && lastResort !== undefined)
      missing.push(missingSettingMessage(lastResort, config.configPath));
    if (missing.length > 0 || url === undefined || token === undefined)
      throw new CliError(missing[0] ?? 'incomplete configuration', ExitCode.usage, missing.slice(1));
    return new ApiClient({ service: endpoint.service, baseUrl: url.value, token: token.value });
  }

  pipeline(command: Command): Promise<ApiClient> {
    return this.client(command, 'pipeline');
  }

  /** Lines for people on stdout. */
  print(...lines: string[]): void {
    for (const line of lines) this.io.stdout.write(`${line}\n`);
  }

  /** A value for machines on stdout: one JSON document. */
  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Prints `value` as JSON with --json, or the lines `human` builds otherwise. */
  output(command: Command, value: unknown, human: () => string[]): void {
    if (this.wantsJson(command)) this.printJson(value);
    else this.print(...human());
  }

  /** A file the user named (`-` is stdin); a missing one is a usage error. */
  async readInput(path: string, what: string): Promise<string> {
    if (path === '-') return this.io.readStdin();
    let text: string | null;
    try {
      text = await this.io.readFile(path);
    } catch (error) {
      throw new CliError(`cannot read ${what} ${path}: ${errorMessage(error)}`, ExitCode.usage);
    }
    if (text === null) throw new CliError(`${what} ${path} does not exist`, ExitCode.usage);
    return text;
  }

  /** A remark for people on stderr (keeps stdout clean for scripts). */
  note(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }
}
