import type { Promotion, PromotionPlan } from '../http/pipeline-schemas';
import { formatDuration, listing, plural, table } from './text';

/** How a promotion reads for people. Pure. */
export function describePromotion(p: Promotion): string[] {
  const route = `${p.service} ${p.version} ${p.fromEnvironment === null ? '' : `${p.fromEnvironment} → `}${p.toEnvironment}`;
  const lines = [`promotion ${p.id}: ${route}, ${p.status.replace('_', ' ')}`];
  const { required, valid, missing, voided } = p.approvals;
  if (required > 0) {
    lines.push(
      `  approvals: ${valid.length} of ${required}${valid.length > 0 ? ` (${listing(valid)})` : ''}${missing > 0 ? `, ${missing} missing` : ''}`,
    );
    for (const v of voided) lines.push(`  voided: ${v.approver} (${v.reason})`);
  }
  if (p.status === 'awaiting_approval') lines.push(`  review: conveyor plan ${p.id}`);
  if (p.deploymentId !== null)
    lines.push(`  deployment ${p.deploymentId}: conveyor deploy status ${p.deploymentId} --watch`);
  return lines;
}

/** The dry-run plan an approver reviews: targets, batches with capacity, estimate, and the hash to approve. */
export function describePlan(answer: PromotionPlan): string[] {
  const { plan } = answer;
  const lines = [
    `plan of promotion ${answer.promotionId}: ${plan.service} ${plan.version} → ${plan.environment}${answer.manifestVersion === null || answer.manifestVersion === undefined ? '' : ` (manifest v${answer.manifestVersion})`}`,
  ];
  if (answer.artifact !== null && answer.artifact !== undefined)
    lines.push(`  artifact ${answer.artifact.url}`, `           sha256 ${answer.artifact.sha256}`);
  lines.push(
    plan.targets.source === 'listed'
      ? `  targets: ${plural(plan.targets.servers.length, 'server')} (${plan.targets.servers.join(', ')})`
      : `  targets: selected by facts ${Object.entries(plan.targets.facts)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}: ${plan.targets.note}`,
  );
  if (plan.migration !== null && plan.migration !== undefined)
    lines.push(`  migration first: ${JSON.stringify(plan.migration)}`);
  const rollout = plan.rollout;
  if (rollout.ok === true) {
    lines.push(
      `  ${plural(rollout.batches.length, 'batch', 'batches')} of up to ${rollout.effectiveBatchSize} (limited by ${rollout.batchSizeLimitedBy}), min healthy ${rollout.floor}, estimated ${formatDuration(rollout.estimatedSeconds * 1000)} at most`,
    );
    const rows = rollout.batches.map((b) => [
      `    ${b.index + 1}`,
      b.kind,
      b.serverIds.join(', '),
      `${b.capacity.onlineDuring} online (headroom ${b.capacity.headroom})`,
      `starts ≤ ${formatDuration(b.estimate.startsAtSeconds * 1000)}, takes ≤ ${formatDuration(b.estimate.totalSeconds * 1000)}`,
    ]);
    lines.push(...table([['    BATCH', 'KIND', 'SERVERS', 'CAPACITY DURING', 'TIME'], ...rows]));
  } else if (rollout.ok === false) {
    lines.push(`  the planner refuses this rollout (${rollout.code}): ${rollout.reason}`);
  } else {
    lines.push(`  batches: ${rollout.reason}`);
  }
  lines.push(
    `  plan hash ${answer.planHash}`,
    `  approve: conveyor approve ${answer.promotionId} --plan-hash ${answer.planHash}` +
      (answer.artifact ? ` --artifact-sha256 ${answer.artifact.sha256}` : ''),
  );
  return lines;
}
