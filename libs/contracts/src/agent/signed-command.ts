import { z } from 'zod';
import { artifactRef, identifier, uuid } from '../common';

/**
 * The signed command an orchestrator sends to agents, exactly as it travels in an event's `data`
 * (flat: the command's fields plus `signature`). `@conveyor/command-signing` signs and checks this
 * shape; it is defined here, once, so a publisher's validation and an agent's agree.
 *
 *   signature = base64( Ed25519( UTF-8( RFC 8785 JSON of the command without `signature` ) ) )
 *
 * Every object outside the payload is strict, and payloads are strict too: zod would otherwise strip
 * an unknown field, and the bytes an agent verifies would differ from the bytes that were signed.
 * No payload field has a default, for the same reason (a default filled in by a publisher's
 * validation would change the signed bytes).
 */

/** What an agent can be told to do. A new kind is added here first; older agents refuse it as malformed. */
export const COMMAND_KINDS = ['deploy', 'rollback', 'migrate', 'discovery'] as const;
export const commandKindSchema = z.enum(COMMAND_KINDS);
export type CommandKind = z.infer<typeof commandKindSchema>;

/** A nonce carries at least this many random bytes (128 bits). */
export const MIN_NONCE_BYTES = 16;
/** Longest nonce accepted, in base64url characters (guards an agent's nonce log against junk). */
export const MAX_NONCE_CHARS = 128;

/**
 * Who must obey, MCollective-style: the agents named in `nodeIds`, or every agent whose facts
 * hold every given key/value. With both, an agent must be named *and* match the facts.
 * A target that selects nobody or everybody (`{}`, `{ nodeIds: [] }`, `{ facts: {} }`) is invalid.
 */
export const targetSchema = z
  .strictObject({
    nodeIds: z
      .array(identifier)
      .min(1, 'nodeIds, when given, must name at least one node')
      .max(10_000)
      .optional(),
    facts: z
      .record(identifier, z.string().max(256))
      .refine((facts) => Object.keys(facts).length > 0, 'facts, when given, must hold at least one key')
      .optional(),
  })
  .refine((target) => target.nodeIds !== undefined || target.facts !== undefined, {
    error: 'target must give nodeIds or facts (an empty target would address every agent)',
  });
export type CommandTarget = z.infer<typeof targetSchema>;

const minNonceChars = Math.ceil((MIN_NONCE_BYTES * 4) / 3);
export const nonceSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding')
  .min(
    minNonceChars,
    `must carry at least ${MIN_NONCE_BYTES * 8} bits (${minNonceChars} base64url characters)`,
  )
  .max(MAX_NONCE_CHARS);

export const keyIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lower-case hex characters');

/** Ed25519 signatures are 64 bytes: exactly 88 characters of canonical, padded base64. */
export const signatureSchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{86}==$/, 'must be the base64 of a 64-byte Ed25519 signature')
  .refine(
    (signature) => Buffer.from(signature, 'base64').toString('base64') === signature,
    'must be canonical base64 (unused trailing bits set to zero)',
  );

const utcTime = z.iso.datetime({ error: 'must be an ISO 8601 UTC time such as 2025-01-31T12:00:00.000Z' });

/** Every field of a command except its payload (supplied per kind) and its signature. */
export const commandHeaderShape = {
  commandId: uuid,
  kind: commandKindSchema,
  target: targetSchema,
  issuedAt: utcTime,
  expiresAt: utcTime,
  nonce: nonceSchema,
  keyId: keyIdSchema,
};
export const commandHeaderSchema = z.strictObject(commandHeaderShape);
export type CommandHeader = z.infer<typeof commandHeaderSchema>;

/** A command as signed: every field but `signature`. */
export type UnsignedCommand<P = unknown> = CommandHeader & { payload: P };
/** What a signer takes: it fills in `keyId`. */
export type CommandToSign<P = unknown> = Omit<UnsignedCommand<P>, 'keyId'>;
export type SignedCommand<P = unknown> = UnsignedCommand<P> & { signature: string };

function expiresAfterIssue(command: { issuedAt: string; expiresAt: string }): boolean {
  return Date.parse(command.expiresAt) > Date.parse(command.issuedAt);
}
const expiryMessage = { error: 'expiresAt must be later than issuedAt', path: ['expiresAt'] };

/** The command as signed, generic over its payload. */
export function unsignedCommandSchema<P extends z.ZodType>(payloadSchema: P) {
  return z
    .strictObject({ ...commandHeaderShape, payload: payloadSchema })
    .refine(expiresAfterIssue, expiryMessage);
}

/** The signed wrapper an agent receives. Unknown fields anywhere outside the payload make it invalid. */
export function signedCommandSchema<P extends z.ZodType>(payloadSchema: P) {
  return z
    .strictObject({ ...commandHeaderShape, payload: payloadSchema, signature: signatureSchema })
    .refine(expiresAfterIssue, expiryMessage);
}

/** The signed wrapper of one kind, as carried by that kind's `agent.<kind>.requested` event. */
export function signedCommandOfKind<P extends z.ZodType>(kind: CommandKind, payloadSchema: P) {
  return signedCommandSchema(payloadSchema).refine((command) => command.kind === kind, {
    error: `kind must be "${kind}" for this event`,
    path: ['kind'],
  });
}

/** One deployment step on one node; the agent is idempotent per stepId. */
const stepFields = {
  deploymentId: uuid,
  stepId: z.string().min(1).max(200),
};

/**
 * The artifact to fetch: http, https or file URL (never with credentials), its version, sha256 and
 * size in bytes. The size is required: the agent aborts a download that passes it and fails one
 * that ends short of it.
 */
const commandArtifact = z.strictObject({
  ...artifactRef.shape,
  size: z.number().int().positive('must be the artifact size in bytes'),
});

export const deployCommandPayload = z.strictObject({
  ...stepFields,
  artifact: commandArtifact,
  /** How many releases to keep for fast rollback; the agent's KEEP_RELEASES when absent. */
  keepReleases: z.number().int().min(2).max(20).optional(),
});
export type DeployCommandPayload = z.infer<typeof deployCommandPayload>;

export const rollbackCommandPayload = z.strictObject({
  ...stepFields,
  /** The version to return to; the agent's previous kept release when absent. */
  toVersion: z.string().min(1).optional(),
});
export type RollbackCommandPayload = z.infer<typeof rollbackCommandPayload>;

export const migrateCommandPayload = z.strictObject({
  ...stepFields,
  artifact: commandArtifact,
  timeoutSeconds: z.number().int().min(1).max(7200),
});
export type MigrateCommandPayload = z.infer<typeof migrateCommandPayload>;

export const discoveryCommandPayload = z.strictObject({ requestId: uuid });
export type DiscoveryCommandPayload = z.infer<typeof discoveryCommandPayload>;
