import { z } from 'zod';
import { artifactRef, facts, identifier, isoTime, uuid } from '../common';

/**
 * Who a command is for, MCollective-style: listed node ids, or every agent whose facts
 * match all the given key/values. At least one of the two must be given.
 */
export const commandTarget = z
  .object({
    nodeIds: z.array(identifier).min(1).optional(),
    facts: facts.optional(),
  })
  .refine((t) => t.nodeIds !== undefined || (t.facts !== undefined && Object.keys(t.facts).length > 0), {
    message: 'must name node ids or facts',
  });
export type CommandTarget = z.infer<typeof commandTarget>;

/** A command the orchestrator signs with Ed25519; agents obey only valid, fresh, unreplayed ones. */
export function signedCommandSchema<P extends z.ZodType>(payload: P) {
  return z.object({
    command: z.object({
      commandId: uuid,
      kind: z.enum(['deploy', 'rollback', 'migrate', 'discovery']),
      target: commandTarget,
      issuedAt: isoTime,
      expiresAt: isoTime,
      nonce: z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, 'must be base64url, at least 128 bits'),
      keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex characters'),
      payload,
    }),
    /** Ed25519 over the RFC 8785 canonical JSON of `command`, base64. */
    signature: z.string().min(1),
  });
}

/** One deployment step on one node; the agent is idempotent per stepId. */
const stepFields = {
  deploymentId: uuid,
  stepId: z.string().min(1).max(200),
};

export const deployCommandPayload = z.object({
  ...stepFields,
  artifact: artifactRef,
  /** How many releases to keep for fast rollback. */
  keepReleases: z.number().int().min(2).max(20).default(3),
});

export const rollbackCommandPayload = z.object({
  ...stepFields,
  /** The version to return to; the agent's previous kept release when absent. */
  toVersion: z.string().min(1).optional(),
});

export const migrateCommandPayload = z.object({
  ...stepFields,
  artifact: artifactRef,
  timeoutSeconds: z.number().int().min(1).max(7200),
});

export const discoveryCommandPayload = z.object({ requestId: uuid });
