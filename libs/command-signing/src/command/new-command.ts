import { randomBytes, randomUUID } from 'node:crypto';
import { MAX_COMMAND_LIFETIME_MS } from './command-policy';
import type { CommandKind, CommandTarget, CommandToSign } from './command.schema';

/** 192 random bits as base64url (32 characters, no padding). */
export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

export interface NewCommandInput<P> {
  kind: CommandKind;
  target: CommandTarget;
  payload: P;
  /** Defaults to the current time. */
  now?: Date;
  /** How long agents may act on it; at most MAX_COMMAND_LIFETIME_MS. Defaults to 5 minutes. */
  lifetimeMs?: number;
}

/** A fresh command (new id, new nonce, issued now) ready for `signCommand`. */
export function newCommand<P>(input: NewCommandInput<P>): CommandToSign<P> {
  const now = input.now ?? new Date();
  const lifetimeMs = input.lifetimeMs ?? 5 * 60 * 1000;
  if (!Number.isInteger(lifetimeMs) || lifetimeMs <= 0 || lifetimeMs > MAX_COMMAND_LIFETIME_MS) {
    throw new Error(
      `command lifetime ${lifetimeMs} ms must be a positive integer of at most ${MAX_COMMAND_LIFETIME_MS} ms`,
    );
  }
  return {
    commandId: randomUUID(),
    kind: input.kind,
    target: input.target,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetimeMs).toISOString(),
    nonce: newNonce(),
    payload: input.payload,
  };
}
