import type { DeploymentRequested } from '@conveyor/contracts';
import { withProof } from '../testing/deployment-proof.factory';
import { deploymentRequest } from '../testing/deployment.factory';
import { checkDeploymentProof } from './check-deployment-proof';

const now = new Date();
const problems = (request: DeploymentRequested) => {
  const result = checkDeploymentProof(request, now);
  return result.ok ? [] : result.problems;
};
const OTHER_SHA = 'b'.repeat(64);

describe('the proof a deployment request carries', () => {
  it('holds for what the pipeline sends: plan hash recomputed, two distinct approvers bound to it', () => {
    expect(checkDeploymentProof(deploymentRequest(), now)).toEqual({ ok: true });
  });

  it('holds without approvals when the frozen policy needs none', () => {
    const { proof: _proof, ...request } = deploymentRequest();
    expect(problems(withProof(request, { approvers: [], policy: { required: 0 } }))).toEqual([]);
  });

  it('is refused when the plan hash is not the one recomputed from the carried plan and policy', () => {
    const request = deploymentRequest();
    const forged = { ...request, proof: { ...request.proof, planHash: 'c'.repeat(64) } };
    expect(problems(forged).join('\n')).toContain('the plan hash does not match');
  });

  it('is refused when the servers, pool or strategy differ from what was approved', () => {
    const request = deploymentRequest();
    const spec = request.environmentSpec;
    for (const environmentSpec of [
      { ...spec, pool: 'payments-web' },
      { ...spec, servers: [{ id: 'evil-1', address: '10.6.6.6:80' }] },
      { ...spec, strategy: { ...spec.strategy, minHealthy: 0, batchSize: 6 } },
    ]) {
      expect(problems({ ...request, environmentSpec }).join('\n')).toContain('the plan hash does not match');
    }
  });

  it('is refused when the policy was relaxed after the approvals (the hash covers the policy)', () => {
    const request = deploymentRequest();
    const relaxed = {
      ...request,
      proof: { ...request.proof, policy: { ...request.proof.policy, required: 0 } },
    };
    expect(problems(relaxed).join('\n')).toContain('the plan hash does not match');
  });

  it('is refused when the artifact is another one than the proof names', () => {
    const request = deploymentRequest();
    const swapped = { ...request, artifact: { ...request.artifact, sha256: OTHER_SHA } };
    const found = problems(swapped).join('\n');
    expect(found).toContain(`the artifact sha256 ${OTHER_SHA} is not the one the proof names`);
    expect(found).toContain('the plan hash does not match');
  });

  it('is refused with too few approvals, or one person approving twice', () => {
    const { proof: _proof, ...request } = deploymentRequest();
    expect(problems(withProof(request, { approvers: ['bob'] }))).toEqual([
      'production needs 2 approval(s) from distinct approvers; the proof has 1 (bob)',
    ]);
    expect(problems(withProof(request, { approvers: ['bob', 'bob'] }))).toContain(
      'production needs 2 approval(s) from distinct approvers; the proof has 1 (bob)',
    );
  });

  it('is refused when the requester approved their own promotion under separation of duties', () => {
    const { proof: _proof, ...request } = deploymentRequest();
    expect(problems(withProof(request, { approvers: ['alice', 'bob'] }))).toEqual([
      'the approval of alice does not count: separation of duties, alice requested this promotion',
      'production needs 2 approval(s) from distinct approvers; the proof has 1 (bob)',
      "approvedBy names alice, bob, the proof's approvals are bob",
    ]);
    expect(
      problems(withProof(request, { approvers: ['alice', 'bob'], policy: { separationOfDuties: false } })),
    ).toEqual([]);
  });

  it('is refused when an approval is bound to another plan or artifact, expired, or by a role that may not approve', () => {
    const request = deploymentRequest();
    const [first, second] = request.proof.approvals;
    const cases: [string, DeploymentRequested['proof']['approvals']][] = [
      ['is bound to plan', [{ ...first!, planHash: 'd'.repeat(64) }, second!]],
      ['is bound to artifact', [{ ...first!, artifactSha256: OTHER_SHA }, second!]],
      ['expired at', [{ ...first!, expiresAt: new Date(now.getTime() - 1000).toISOString() }, second!]],
      ['a role that may not approve', [{ ...first!, role: 'deployer' }, second!]],
    ];
    for (const [expected, approvals] of cases) {
      const found = problems({ ...request, proof: { ...request.proof, approvals } });
      expect(found.join('\n')).toContain(expected);
      expect(found.join('\n')).toContain('needs 2 approval(s)');
    }
  });

  it('is refused when the carried environment rule needs more than the proof has', () => {
    const request = deploymentRequest();
    const spec = request.environmentSpec;
    const stricter = {
      ...request,
      environmentSpec: { ...spec, approvals: { ...spec.approvals, required: 3 } },
    };
    expect(problems(stricter)).toEqual([
      'production needs 3 approval(s) from distinct approvers; the proof has 2 (bob, carol)',
    ]);
  });

  it('is refused when the policy is for another environment or its order does not lead to this one', () => {
    const request = deploymentRequest();
    const other = {
      ...request,
      proof: { ...request.proof, policy: { ...request.proof.policy, environment: 'dev' } },
    };
    expect(problems(other).join('\n')).toContain('the policy is for dev, the request for production');
    const skipped = {
      ...request,
      proof: { ...request.proof, policy: { ...request.proof.policy, previousEnvironment: null } },
    };
    expect(problems(skipped).join('\n')).toContain('its order says staging');
  });

  it('is refused when the request names another requester or approvers than the proof', () => {
    const request = deploymentRequest();
    expect(problems({ ...request, requestedBy: 'mallory' }).join('\n')).toContain(
      'the proof was requested by alice, the request says mallory',
    );
    expect(problems({ ...request, approvedBy: ['bob', 'carol', 'mallory'] }).join('\n')).toContain(
      'approvedBy names bob, carol, mallory',
    );
  });
});
