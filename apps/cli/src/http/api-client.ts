import { errorMessage } from '@conveyor/errors';
import type { z } from 'zod';
import { CliError, ExitCode } from '../exit-codes';
import { errorFromNetworkFailure, errorFromResponse, type ServiceName } from './api-errors';

export type Query = Record<string, string | number | readonly string[] | undefined>;

export interface RequestOptions {
  query?: Query;
  /** A JSON body (sent as application/json). */
  json?: unknown;
  /** A raw body with its content type (e.g. a YAML manifest). */
  raw?: { text: string; contentType: string };
}

export interface JsonAnswer<T> {
  status: number;
  body: T;
}

export interface ApiClientOptions {
  service: ServiceName;
  baseUrl: string;
  token: string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A small fetch client: every failure becomes a CliError that says why and carries the exit code. */
export class ApiClient {
  readonly service: ServiceName;
  readonly baseUrl: string;
  private readonly token: string | null;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.service = options.service;
    this.baseUrl = options.baseUrl;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Sends a request and validates the JSON answer with `schema`. */
  async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: RequestOptions = {},
  ): Promise<JsonAnswer<z.infer<S>>> {
    const response = await this.send(method, path, options);
    const text = await this.readText(response, method, path);
    let body: unknown;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      throw new CliError(
        `the ${this.service} answered ${method} ${path} with something that is not JSON`,
        ExitCode.failure,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
      throw new CliError(
        `unexpected answer from the ${this.service} to ${method} ${path}`,
        ExitCode.failure,
        problems,
      );
    }
    return { status: response.status, body: parsed.data };
  }

  /** Sends a request and returns the successful response unread (for downloads). */
  async stream(path: string, query: Query = {}): Promise<Response> {
    return this.send('GET', path, { query });
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== null) headers['authorization'] = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) {
      headers['content-type'] = options.raw.contentType;
      body = options.raw.text;
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query ?? {}), {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw errorFromNetworkFailure(this.service, this.baseUrl, error, this.timeoutMs);
    }
    if (!response.ok) {
      const text = await this.readText(response, method, path);
      let errorBody: unknown = text;
      try {
        errorBody = JSON.parse(text);
      } catch {
        // not JSON: the text itself is the reason
      }
      throw errorFromResponse(this.service, `${method} ${path}`, response.status, errorBody);
    }
    return response;
  }

  private async readText(response: Response, method: string, path: string): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw new CliError(
        `the answer of the ${this.service} to ${method} ${path} was cut short: ${errorMessage(error)}`,
        ExitCode.unreachable,
      );
    }
  }

  url(path: string, query: Query): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value))
        for (const item of value as readonly string[]) url.searchParams.append(key, item);
      else url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}
