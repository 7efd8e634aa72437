import { z } from 'zod';
import { MAX_NONCE_CHARS, MIN_NONCE_BYTES } from './command-policy';

/** What an agent can be told to do. A new kind is added here first; older agents refuse it as malformed. */
export const COMMAND_KINDS = ['deploy', 'rollback', 'migrate', 'discovery'] as const;
export const commandKindSchema = z.enum(COMMAND_KINDS);
export type CommandKind = z.infer<typeof commandKindSchema>;

const identifier = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, dots, dashes or underscores');

/**
 * Who must obey, MCollective-style: the agents named in `nodeIds`, or every agent whose facts
 * hold every given key/value. With both, an agent must be named *and* match the facts.
 * A target that selects nobody or everybody (`{}`, `{ nodeIds: [] }`, `{ facts: {} }`) is invalid.
 */
export const targetSchema = z
  .strictObject({
    nodeIds: z.array(identifier).min(1, 'nodeIds, when given, must name at least one node').max(10_000).optional(),
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
  .min(minNonceChars, `must carry at least ${MIN_NONCE_BYTES * 8} bits (${minNonceChars} base64url characters)`)
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

const isoTime = z.iso.datetime({ error: 'must be an ISO 8601 UTC time such as 2025-01-31T12:00:00.000Z' });

/** Every field of a command except its payload (supplied by the caller) and its signature. */
export const commandHeaderShape = {
  commandId: z.uuid(),
  kind: commandKindSchema,
  target: targetSchema,
  issuedAt: isoTime,
  expiresAt: isoTime,
  nonce: nonceSchema,
  keyId: keyIdSchema,
};
export const commandHeaderSchema = z.strictObject(commandHeaderShape);
export type CommandHeader = z.infer<typeof commandHeaderSchema>;

/** A command as signed: every field but `signature`. */
export type UnsignedCommand<P = unknown> = CommandHeader & { payload: P };
/** What `signCommand` takes: the signer fills in `keyId`. */
export type CommandToSign<P = unknown> = Omit<UnsignedCommand<P>, 'keyId'>;
export type SignedCommand<P = unknown> = UnsignedCommand<P> & { signature: string };

function expiresAfterIssue(command: { issuedAt: string; expiresAt: string }): boolean {
  return Date.parse(command.expiresAt) > Date.parse(command.issuedAt);
}
const expiryMessage = { error: 'expiresAt must be later than issuedAt', path: ['expiresAt'] };

/** The command as signed, generic over its payload: `unsignedCommandSchema(deployPayloadSchema)`. */
export function unsignedCommandSchema<P extends z.ZodType>(payloadSchema: P) {
  return z.strictObject({ ...commandHeaderShape, payload: payloadSchema }).refine(expiresAfterIssue, expiryMessage);
}

/** The signed wrapper an agent receives. Unknown fields anywhere outside the payload make it invalid. */
export function signedCommandSchema<P extends z.ZodType>(payloadSchema: P) {
  return z
    .strictObject({ ...commandHeaderShape, payload: payloadSchema, signature: signatureSchema })
    .refine(expiresAfterIssue, expiryMessage);
}

/** The default payload schema: any JSON value. */
export const jsonPayloadSchema = z.json();
