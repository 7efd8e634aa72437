import {
  checkApprovalAttempt,
  evaluateApprovals,
  type ApprovalRule,
  type RecordedApproval,
} from './approval-rule';

const rule: ApprovalRule = { required: 2, separationOfDuties: true, expiresAfterHours: 24 };
const current = { planHash: 'plan-a', artifactSha256: 'sha-a' };
const now = new Date('2025-03-01T12:00:00Z');
const approval = (approver: string, overrides: Partial<RecordedApproval> = {}): RecordedApproval => ({
  approver,
  planHash: 'plan-a',
  artifactSha256: 'sha-a',
  approvedAt: new Date('2025-03-01T11:00:00Z'),
  expiresAt: new Date('2025-03-02T11:00:00Z'),
  ...overrides,
});

describe('the approval rule', () => {
  it('is met by two distinct approvers and not by one approving twice', () => {
    expect(evaluateApprovals(rule, 'carol', [approval('alice')], current, now)).toMatchObject({
      met: false,
      missing: 1,
    });
    expect(
      evaluateApprovals(rule, 'carol', [approval('alice'), approval('alice')], current, now),
    ).toMatchObject({
      met: false,
      validApprovers: ['alice'],
    });
    expect(
      evaluateApprovals(rule, 'carol', [approval('alice'), approval('bob')], current, now),
    ).toMatchObject({
      met: true,
      missing: 0,
      validApprovers: ['alice', 'bob'],
    });
  });

  it("voids approvals bound to another plan or artifact, expired ones, and the requester's own", () => {
    const result = evaluateApprovals(
      rule,
      'carol',
      [
        approval('alice', { planHash: 'plan-old' }),
        approval('bob', { artifactSha256: 'sha-old' }),
        approval('dave', { expiresAt: now }),
        approval('carol'),
      ],
      current,
      now,
    );
    expect(result.met).toBe(false);
    expect(result.validApprovers).toEqual([]);
    expect(result.voided.map((v) => [v.approver, v.reason])).toEqual([
      ['alice', 'plan_changed'],
      ['bob', 'artifact_changed'],
      ['dave', 'expired'],
      ['carol', 'requester'],
    ]);
  });

  it('does not count approvals by a role the frozen policy does not allow', () => {
    const frozen = { ...rule, approverRoles: ['approver', 'admin'] };
    const result = evaluateApprovals(
      frozen,
      'carol',
      [approval('alice', { approverRole: 'approver' }), approval('erin', { approverRole: 'deployer' })],
      current,
      now,
    );
    expect(result.validApprovers).toEqual(['alice']);
    expect(result.voided.map((v) => [v.approver, v.reason])).toEqual([['erin', 'role']]);
  });

  it('counts the requester when separation of duties is off, and needs nothing when none are required', () => {
    const lenient = { ...rule, separationOfDuties: false };
    expect(
      evaluateApprovals(lenient, 'carol', [approval('carol'), approval('alice')], current, now).met,
    ).toBe(true);
    expect(evaluateApprovals({ ...rule, required: 0 }, 'carol', [], current, now).met).toBe(true);
  });
});

describe('an attempt to approve', () => {
  const attempt = {
    rule,
    promotionStatus: 'awaiting_approval',
    requester: 'carol',
    approver: 'alice',
    approverRole: 'approver',
    reviewed: { planHash: 'plan-a', artifactSha256: 'sha-a' },
    current,
  };

  it('is refused to the requester', () => {
    expect(checkApprovalAttempt({ ...attempt, approver: 'carol' })).toEqual({
      ok: false,
      status: 403,
      reason: 'separation of duties: carol requested this promotion and cannot approve it',
    });
  });

  it('is refused when the reviewed plan or artifact is not the current one', () => {
    expect(
      checkApprovalAttempt({ ...attempt, reviewed: { planHash: 'plan-old', artifactSha256: 'sha-a' } }),
    ).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(
      checkApprovalAttempt({ ...attempt, reviewed: { planHash: 'plan-a', artifactSha256: 'sha-old' } }),
    ).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  it('is refused to a role the frozen policy does not allow', () => {
    const frozen = { ...rule, approverRoles: ['approver'] };
    expect(checkApprovalAttempt({ ...attempt, rule: frozen, approverRole: 'admin' })).toEqual({
      ok: false,
      status: 403,
      reason: 'role admin may not approve this promotion; its frozen policy allows approver',
    });
    expect(checkApprovalAttempt({ ...attempt, rule: frozen })).toEqual({ ok: true });
  });

  it('is refused once the promotion no longer waits for approvals', () => {
    expect(checkApprovalAttempt({ ...attempt, promotionStatus: 'deploying' })).toEqual({
      ok: false,
      status: 409,
      reason: 'the promotion is deploying; it no longer takes approvals',
    });
  });

  it('is accepted from another person who reviewed the current plan', () => {
    expect(checkApprovalAttempt(attempt)).toEqual({ ok: true });
  });
});
