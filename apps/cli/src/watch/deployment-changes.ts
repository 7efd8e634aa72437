import { clockTime, formatDuration, listing, plural } from '../format/text';
import type { DeploymentView } from '../http/pipeline-schemas';
import { STEP_LOOK } from './progress';

/**
 * The plain view of a deployment for logs (CI, pipes): one line per change between two polls,
 * each stamped with the time of the change. Pure. `previous` null is the first poll: a header,
 * then everything that has happened so far as changes.
 */
export function describeChanges(previous: DeploymentView | null, next: DeploymentView): string[] {
  const lines: string[] = [];
  const before = previous ?? blankLike(next);
  if (previous === null) lines.push(`${clockTime(next.requestedAt ?? next.updatedAt)} ${headline(next)}`);
  else if (previous.service === null && next.service !== null)
    lines.push(`${clockTime(next.updatedAt)} ${headline(next)}`);

  if (before.plan === null && next.plan !== null) {
    const { totalServers, minHealthy, estimatedSeconds } = next.plan;
    lines.push(
      `${clockTime(next.startedAt ?? next.updatedAt)} rollout started: ${plural(totalServers, 'server')} in ${plural(next.batches.length, 'batch', 'batches')}, min healthy ${minHealthy}, estimated ${formatDuration(estimatedSeconds * 1000)}`,
    );
  }
  if (
    before.status !== next.status &&
    next.outcome === null &&
    !(before.status === 'requested' && next.status === 'running')
  ) {
    lines.push(
      `${clockTime(next.updatedAt)} ${next.status === 'paused' ? `paused (resume: conveyor deployments resume ${next.id})` : next.status.replace('_', ' ')}`,
    );
  }

  for (const batch of next.batches) {
    const old = before.batches.find((b) => b.index === batch.index);
    const title = `batch ${batch.index + 1}/${next.batches.length}${batch.kind === 'canary' ? ' (canary)' : ''}`;
    if (batch.status !== 'pending' && (old === undefined || old.status === 'pending')) {
      lines.push(`${clockTime(batch.startedAt)} ${title} started: ${listing(batch.servers)}`);
    }
    const moved = batch.servers.flatMap((serverId) => {
      const now = next.servers[serverId];
      const was = before.servers[serverId];
      if (now === undefined || now.step === 'pending') return [];
      if (was !== undefined && was.step === now.step && was.detail === now.detail) return [];
      return [
        {
          at: now.updatedAt,
          line: `${clockTime(now.updatedAt)} ${serverId}: ${STEP_LOOK[now.step].label}${stepNote(was, now)}`,
        },
      ];
    });
    // in the order they happened (a stable sort keeps the batch's order for equal times)
    lines.push(...moved.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).map((m) => m.line));
    if (batch.status === 'completed' && old?.status !== 'completed') {
      lines.push(
        `${clockTime(batch.completedAt)} ${title} completed${batch.durationMs === null ? '' : ` in ${formatDuration(batch.durationMs)}`}`,
      );
    }
  }

  if (before.outcome === null && next.outcome !== null)
    lines.push(`${clockTime(next.finishedAt ?? next.updatedAt)} ${outcomeSentence(next)}`);
  return lines;
}

/** "deployment 3f2a…: shop 1.4.2 → prod (manifest v3), requested by carol, approved by alice and bob". */
export function headline(view: DeploymentView): string {
  const what =
    view.service === null
      ? ''
      : `: ${view.service} ${view.version ?? '?'} → ${view.environment ?? '?'}${view.manifestVersion === null ? '' : ` (manifest v${view.manifestVersion})`}`;
  const who =
    view.requestedBy === null
      ? ''
      : `, requested by ${view.requestedBy}${view.approvedBy.length > 0 ? `, approved by ${listing(view.approvedBy)}` : ''}`;
  return `deployment ${view.id}${what}${who}`;
}

/** "deployment succeeded in 8m02s" or "deployment rolled back in 1m10s at verify on web-2: smoke suite checkout failed". */
export function outcomeSentence(view: DeploymentView): string {
  if (view.outcome === null) return `deployment ${view.status.replace('_', ' ')}`;
  const took = view.durationMs === null ? '' : ` in ${formatDuration(view.durationMs)}`;
  const where = [view.outcome.step, view.outcome.serverId === null ? null : `on ${view.outcome.serverId}`]
    .filter((p) => p !== null)
    .join(' ');
  return `deployment ${view.outcome.status.replace('_', ' ')}${took}${where === '' ? '' : ` at ${where}`}${view.outcome.reason === null ? '' : `: ${view.outcome.reason}`}`;
}

type ServerState = DeploymentView['servers'][string];

function stepNote(was: ServerState | undefined, now: ServerState): string {
  const detail = now.detail === null || now.detail === '' ? '' : ` — ${now.detail}`;
  if (was?.step === 'draining' && now.step !== 'draining') {
    return ` (drain took ${formatDuration(Date.parse(now.updatedAt) - Date.parse(was.updatedAt))})${detail}`;
  }
  return detail;
}

function blankLike(view: DeploymentView): DeploymentView {
  return { ...view, status: 'requested', plan: null, batches: [], servers: {}, outcome: null };
}
