import type { DeploymentRequested } from '@conveyor/contracts';
import { buildPromotionPlan, hashPromotionPlan } from '@conveyor/planner';

export type ProofCheck = { ok: true } | { ok: false; problems: string[] };

/**
 * Does `deployment.requested` carry a proof that holds? Pure. The plan hash is recomputed from the
 * carried environment section, artifact and frozen policy with the pipeline's own function; the
 * approvals must satisfy that policy (count, distinct approvers with an approving role, not the
 * requester under separation of duties, each bound to that plan hash and artifact sha256, not
 * expired at `now`). Every problem found is named. This check only makes a request consistent; that
 * it came from the pipeline at all is the broker's `user_id` check in the consumer.
 */
export function checkDeploymentProof(request: DeploymentRequested, now: Date): ProofCheck {
  const { proof } = request;
  const { policy } = proof;
  const problems: string[] = [];

  if (proof.artifactSha256 !== request.artifact.sha256)
    problems.push(
      `the artifact sha256 ${request.artifact.sha256} is not the one the proof names (${proof.artifactSha256})`,
    );
  if (request.artifact.service !== request.service || request.artifact.version !== request.version)
    problems.push(
      `the artifact is ${request.artifact.service} ${request.artifact.version}, not ${request.service} ${request.version}`,
    );
  if (proof.requestedBy !== request.requestedBy)
    problems.push(`the proof was requested by ${proof.requestedBy}, the request says ${request.requestedBy}`);
  if (policy.environment !== request.environment)
    problems.push(`the policy is for ${policy.environment}, the request for ${request.environment}`);

  const index = policy.environmentOrder.indexOf(request.environment);
  const expectedPrevious = index > 0 ? (policy.environmentOrder[index - 1] ?? null) : null;
  if (index < 0)
    problems.push(
      `${request.environment} is not in the policy's environment order (${policy.environmentOrder.join(' → ')})`,
    );
  else if (policy.previousEnvironment !== expectedPrevious)
    problems.push(
      `the policy says ${policy.previousEnvironment ?? 'no environment'} comes before ${request.environment}, its order says ${expectedPrevious ?? 'none'}`,
    );

  const plan = buildPromotionPlan({
    service: request.service,
    environment: request.environment,
    version: request.version,
    artifactSha256: request.artifact.sha256,
    spec: request.environmentSpec,
  });
  const planHash = hashPromotionPlan(plan, policy);
  if (planHash !== proof.planHash)
    problems.push(
      `the plan hash does not match: recomputed ${planHash} from the carried plan and policy, the proof says ${proof.planHash}`,
    );

  // The environment's own rule, as carried, may only add to the frozen one.
  const rule = request.environmentSpec.approvals;
  const required = Math.max(policy.required, rule.required);
  const separationOfDuties = policy.separationOfDuties || rule.separationOfDuties;

  const counted = new Set<string>();
  for (const approval of proof.approvals) {
    const who = `the approval of ${approval.approver}`;
    if (!policy.approverRoles.includes(approval.role))
      problems.push(
        `${who} was given as ${approval.role}, a role that may not approve (${policy.approverRoles.join(', ')})`,
      );
    else if (separationOfDuties && approval.approver === proof.requestedBy)
      problems.push(
        `${who} does not count: separation of duties, ${approval.approver} requested this promotion`,
      );
    else if (approval.planHash !== proof.planHash)
      problems.push(`${who} is bound to plan ${approval.planHash}, not ${proof.planHash}`);
    else if (approval.artifactSha256 !== proof.artifactSha256)
      problems.push(`${who} is bound to artifact ${approval.artifactSha256}, not ${proof.artifactSha256}`);
    else if (Date.parse(approval.expiresAt) <= now.getTime())
      problems.push(`${who} expired at ${approval.expiresAt}`);
    else if (Date.parse(approval.approvedAt) > Date.parse(approval.expiresAt))
      problems.push(`${who} expires before it was given`);
    else counted.add(approval.approver);
  }
  if (counted.size < required)
    problems.push(
      `${request.environment} needs ${required} approval(s) from distinct approvers; the proof has ${counted.size}${counted.size > 0 ? ` (${[...counted].sort().join(', ')})` : ''}`,
    );
  const named = [...new Set(request.approvedBy)].sort();
  const proven = [...counted].sort();
  if (named.some((name) => !counted.has(name)))
    problems.push(
      `approvedBy names ${named.join(', ')}, the proof's approvals are ${proven.join(', ') || 'none'}`,
    );

  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
