/** The rule approvals are judged by: a promotion's frozen policy (never the latest manifest). */
export interface ApprovalRule {
  required: number;
  separationOfDuties: boolean;
  expiresAfterHours: number;
  /** When given, only approvals by these API roles count. */
  approverRoles?: readonly string[];
}

export interface RecordedApproval {
  approver: string;
  /** The approver's API role when they approved (null: not recorded). */
  approverRole?: string | null;
  planHash: string;
  artifactSha256: string;
  approvedAt: Date;
  expiresAt: Date;
}

/** What an approval is bound to now. */
export interface CurrentBinding {
  planHash: string;
  artifactSha256: string;
}

export type VoidReason = 'plan_changed' | 'artifact_changed' | 'expired' | 'requester' | 'role';

export interface ApprovalEvaluation {
  met: boolean;
  required: number;
  /** Distinct approvers whose approval counts. */
  validApprovers: string[];
  missing: number;
  voided: { approver: string; approvedAt: Date; reason: VoidReason }[];
}

/**
 * Which approvals count: bound to the current plan hash and artifact sha256, not expired, not
 * by the requester when separation of duties holds, one per approver. Pure.
 */
export function evaluateApprovals(
  rule: ApprovalRule,
  requester: string,
  approvals: readonly RecordedApproval[],
  current: CurrentBinding,
  now: Date,
): ApprovalEvaluation {
  const valid = new Set<string>();
  const voided: ApprovalEvaluation['voided'] = [];
  for (const approval of approvals) {
    const reason = voidReason(rule, requester, approval, current, now);
    if (reason) voided.push({ approver: approval.approver, approvedAt: approval.approvedAt, reason });
    else valid.add(approval.approver);
  }
  const validApprovers = [...valid].sort();
  const missing = Math.max(0, rule.required - validApprovers.length);
  return { met: missing === 0, required: rule.required, validApprovers, missing, voided };
}

function voidReason(
  rule: ApprovalRule,
  requester: string,
  approval: RecordedApproval,
  current: CurrentBinding,
  now: Date,
): VoidReason | null {
  if (rule.separationOfDuties && approval.approver === requester) return 'requester';
  if (rule.approverRoles && !rule.approverRoles.includes(approval.approverRole ?? '')) return 'role';
  if (approval.planHash !== current.planHash) return 'plan_changed';
  if (approval.artifactSha256 !== current.artifactSha256) return 'artifact_changed';
  if (approval.expiresAt.getTime() <= now.getTime()) return 'expired';
  return null;
}

export type ApprovalAttempt = { ok: true } | { ok: false; status: 403 | 409; reason: string };

/** May `approver` approve now, having reviewed `reviewed`? Pure. */
export function checkApprovalAttempt(input: {
  rule: ApprovalRule;
  promotionStatus: string;
  requester: string;
  approver: string;
  approverRole: string;
  reviewed: { planHash: string; artifactSha256: string };
  current: CurrentBinding;
}): ApprovalAttempt {
  const { rule, requester, approver, reviewed, current } = input;
  if (input.promotionStatus !== 'awaiting_approval') {
    return {
      ok: false,
      status: 409,
      reason: `the promotion is ${input.promotionStatus.replace('_', ' ')}; it no longer takes approvals`,
    };
  }
  if (rule.separationOfDuties && approver === requester) {
    return {
      ok: false,
      status: 403,
      reason: `separation of duties: ${approver} requested this promotion and cannot approve it`,
    };
  }
  if (rule.approverRoles && !rule.approverRoles.includes(input.approverRole)) {
    return {
      ok: false,
      status: 403,
      reason: `role ${input.approverRole} may not approve this promotion; its frozen policy allows ${rule.approverRoles.join(', ')}`,
    };
  }
  if (reviewed.planHash !== current.planHash) {
    return {
      ok: false,
      status: 409,
      reason: `the plan changed since it was reviewed (reviewed ${reviewed.planHash}, now ${current.planHash}); review GET /promotions/:id/plan again`,
    };
  }
  if (reviewed.artifactSha256 !== current.artifactSha256) {
    return {
      ok: false,
      status: 409,
      reason: `the artifact sha256 ${reviewed.artifactSha256} is not the promotion's (${current.artifactSha256}); review GET /promotions/:id/plan again`,
    };
  }
  return { ok: true };
}
