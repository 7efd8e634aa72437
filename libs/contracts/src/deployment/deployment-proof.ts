import { z } from 'zod';
import { identifier, isoTime, nonEmpty, sha256Hex, uuid } from '../common';

/**
 * The approval rule of a promotion, frozen when the promotion was requested. Approvals are judged
 * against it (never against a later manifest), and it is part of the plan hash approvers sign off.
 */
export const frozenApprovalPolicySchema = z.object({
  /** The environment promoted to. */
  environment: identifier,
  /** The manifest version the rule was read from. */
  manifestVersion: z.number().int().min(1),
  required: z.number().int().min(0).max(10),
  separationOfDuties: z.boolean(),
  expiresAfterHours: z.number().min(1).max(720),
  /** API roles whose approvals count. */
  approverRoles: z.array(identifier).min(1),
  /** The service's environments in promotion order, as they were. */
  environmentOrder: z.array(identifier).min(1),
  /** The environment the same artifact (same sha256) had to succeed in first; null for the first one. */
  previousEnvironment: identifier.nullable(),
});
export type FrozenApprovalPolicy = z.infer<typeof frozenApprovalPolicySchema>;

/** One approval as the pipeline recorded it: who, with which role, when, and what it is bound to. */
export const proofApprovalSchema = z.object({
  approver: nonEmpty,
  role: identifier,
  approvedAt: isoTime,
  expiresAt: isoTime,
  planHash: sha256Hex,
  artifactSha256: sha256Hex,
});
export type ProofApproval = z.infer<typeof proofApprovalSchema>;

/**
 * What a deployment request carries so the orchestrator can check it before starting anything:
 * the promotion, the plan hash (sha256 of the canonical `{ plan, policy }`), the artifact digest,
 * the frozen policy and the approvals that met it.
 */
export const deploymentProofSchema = z.object({
  promotionId: uuid,
  planHash: sha256Hex,
  artifactSha256: sha256Hex,
  requestedBy: nonEmpty,
  policy: frozenApprovalPolicySchema,
  approvals: z.array(proofApprovalSchema).max(100),
});
export type DeploymentProof = z.infer<typeof deploymentProofSchema>;
