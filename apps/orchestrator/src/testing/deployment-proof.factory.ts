import { randomUUID } from 'node:crypto';
import {
  deploymentRequestedEvent,
  environmentSpecSchema,
  type DeploymentRequested,
  type EventInput,
  type FrozenApprovalPolicy,
} from '@conveyor/contracts';
import { buildPromotionPlan, hashPromotionPlan } from '@conveyor/planner';

export type UnprovenRequest = Omit<EventInput['deployment.requested'], 'proof'>;

export interface ProofOptions {
  /** Who approved (default bob and carol; the requester is alice). */
  approvers?: string[];
  policy?: Partial<FrozenApprovalPolicy>;
  approvedAt?: Date;
}

/**
 * Adds the proof the pipeline would carry: a frozen policy of 2 approvals with separation of
 * duties, the plan hash of the request's plan and policy, and one approval per approver bound to
 * it. Red-team tests start from this and break one thing.
 */
export function withProof(request: UnprovenRequest, options: ProofOptions = {}): DeploymentRequested {
  const policy: FrozenApprovalPolicy = {
    environment: request.environment,
    manifestVersion: request.manifestVersion,
    required: 2,
    separationOfDuties: true,
    expiresAfterHours: 24,
    approverRoles: ['approver', 'admin'],
    environmentOrder: ['staging', request.environment],
    previousEnvironment: 'staging',
    ...options.policy,
  };
  // As the pipeline does: the carried section's rule is the frozen one.
  const spec = environmentSpecSchema.parse({
    ...request.environmentSpec,
    approvals: {
      required: policy.required,
      separationOfDuties: policy.separationOfDuties,
      expiresAfterHours: policy.expiresAfterHours,
    },
  });
  const planHash = hashPromotionPlan(
    buildPromotionPlan({
      service: request.service,
      environment: request.environment,
      version: request.version,
      artifactSha256: request.artifact.sha256,
      spec,
    }),
    policy,
  );
  const approvers = options.approvers ?? ['bob', 'carol'];
  const approvedAt = options.approvedAt ?? new Date();
  const expiresAt = new Date(approvedAt.getTime() + policy.expiresAfterHours * 3_600_000);
  return deploymentRequestedEvent.schema.parse({
    ...request,
    environmentSpec: spec,
    approvedBy: approvers,
    proof: {
      promotionId: randomUUID(),
      planHash,
      artifactSha256: request.artifact.sha256,
      requestedBy: request.requestedBy,
      policy,
      approvals: approvers.map((approver) => ({
        approver,
        role: 'approver',
        approvedAt: approvedAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
        planHash,
        artifactSha256: request.artifact.sha256,
      })),
    },
  });
}
