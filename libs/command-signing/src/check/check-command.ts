import { errorMessage } from '@conveyor/errors';
import { verify } from 'node:crypto';
import type { z } from 'zod';
import { DEFAULT_MAX_CLOCK_SKEW_MS, MAX_COMMAND_LIFETIME_MS } from '../command/command-policy';
import { lifetimeProblem } from '../command/command-lifetime';
import { jsonPayloadSchema, signedCommandSchema, type SignedCommand } from '../command/command.schema';
import { describeIssues } from '../command/describe-issues';
import type { TrustedKeys } from '../keys/trusted-keys';
import type { NonceStore } from '../nonce/nonce-store';
import { signingInput } from '../signing/signing-input';
import { rejected, type CheckResult } from './check-result';
import { explainTargetMismatch, matchesTarget, type AgentFacts } from './match-target';
import { checkTimeWindow, nonceRetentionEnd } from './time-window';

export interface CheckOptions<S extends z.ZodType> {
  /** Public keys this agent obeys, by key id (see `loadTrustedKeys`). */
  trustedKeys: TrustedKeys;
  /** This agent's node id and facts, to decide whether the command is meant for it. */
  nodeId: string;
  facts: AgentFacts;
  /** This agent's clock. */
  now: Date;
  nonceStore: NonceStore;
  /** Tolerated difference between the signer's clock and this agent's. Default 30 s. */
  maxClockSkewMs?: number;
  /** Longest lifetime (expiresAt - issuedAt) accepted. Default 1 hour. */
  maxLifetimeMs?: number;
  /** Schema of the payload for this command kind. Default: any JSON value. */
  payloadSchema?: S;
}

const schemaCache = new WeakMap<z.ZodType, z.ZodType>();
function wrapperSchemaFor<S extends z.ZodType>(payloadSchema: S): ReturnType<typeof signedCommandSchema<S>> {
  const cached = schemaCache.get(payloadSchema) as ReturnType<typeof signedCommandSchema<S>> | undefined;
  if (cached !== undefined) return cached;
  const schema = signedCommandSchema(payloadSchema);
  schemaCache.set(payloadSchema, schema);
  return schema;
}

/** A bad clock or policy would make every time check pass (NaN compares false): fail loudly instead. */
function assertSaneOptions(now: Date, maxClockSkewMs: number, maxLifetimeMs: number): void {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new Error('checkCommand: options.now must be a valid Date');
  }
  if (!Number.isFinite(maxClockSkewMs) || maxClockSkewMs < 0) {
    throw new Error(
      `checkCommand: maxClockSkewMs must be a non-negative number of ms, got ${maxClockSkewMs}`,
    );
  }
  if (!Number.isFinite(maxLifetimeMs) || maxLifetimeMs <= 0) {
    throw new Error(`checkCommand: maxLifetimeMs must be a positive number of ms, got ${maxLifetimeMs}`);
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function hasNoSignature(value: object): boolean {
  const signature = (value as { signature?: unknown }).signature;
  return signature === undefined || signature === null || signature === '';
}

/**
 * Decides whether this agent obeys a received command (the parsed JSON of the message body).
 * Checks run in this order, and the first failure is the answer:
 * structure (`unsigned`, `malformed`) → key (`unknown_key`) → signature (`bad_signature`) →
 * time window (`not_yet_valid`, `expired`) → target (`not_for_me`) → nonce (`replayed`).
 * The nonce is recorded last, so a forged, stale or misaddressed command never burns one.
 * Resolves `{ ok: true, command }` only once the nonce is stored. Rejects (throws) only for a
 * programming error (invalid `now`, skew or lifetime) or if the nonce store fails; then the
 * command must not be run, and may be retried.
 */
export async function checkCommand<S extends z.ZodType = typeof jsonPayloadSchema>(
  received: unknown,
  options: CheckOptions<S>,
): Promise<CheckResult<z.output<S>>> {
  const maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  const maxLifetimeMs = options.maxLifetimeMs ?? MAX_COMMAND_LIFETIME_MS;
  assertSaneOptions(options.now, maxClockSkewMs, maxLifetimeMs);

  if (typeof received !== 'object' || received === null || Array.isArray(received)) {
    return rejected('malformed', `a command must be a JSON object, got ${describeType(received)}`);
  }
  if (hasNoSignature(received)) {
    return rejected('unsigned', 'the command has no signature; agents obey only signed commands');
  }
  const parsed = wrapperSchemaFor(options.payloadSchema ?? (jsonPayloadSchema as unknown as S)).safeParse(
    received,
  );
  if (!parsed.success) {
    return rejected('malformed', describeIssues(parsed.error));
  }
  const command = parsed.data as SignedCommand<z.output<S>>;
  const tooLong = lifetimeProblem(command, maxLifetimeMs);
  if (tooLong !== undefined) {
    return rejected('malformed', tooLong);
  }

  const key = options.trustedKeys.get(command.keyId);
  if (key === undefined) {
    const known = [...options.trustedKeys.keys()].join(', ') || 'none';
    return rejected('unknown_key', `key ${command.keyId} is not trusted by this agent (trusted: ${known})`);
  }

  let signedBytes: Buffer;
  try {
    // The signature covers the bytes as received, not as parsed: a payload schema that strips
    // or transforms fields cannot make an altered command verify.
    signedBytes = signingInput(received);
  } catch (error) {
    return rejected('malformed', `command is not canonical JSON: ${errorMessage(error)}`);
  }
  if (!verify(null, signedBytes, key, Buffer.from(command.signature, 'base64'))) {
    return rejected(
      'bad_signature',
      `signature does not match the command's content under key ${command.keyId}`,
    );
  }

  const window = checkTimeWindow(command, options.now, { maxClockSkewMs });
  if (!window.ok) {
    return rejected(window.reason, window.detail);
  }

  if (!matchesTarget(command.target, options.nodeId, options.facts)) {
    return rejected('not_for_me', explainTargetMismatch(command.target, options.nodeId, options.facts));
  }

  const keepUntil = nonceRetentionEnd(command, { maxClockSkewMs });
  if (!(await options.nonceStore.recordIfNew(command.nonce, keepUntil, options.now))) {
    return {
      ...rejected('replayed', `nonce ${command.nonce} of command ${command.commandId} was already accepted`),
      command,
    };
  }
  return { ok: true, command };
}
