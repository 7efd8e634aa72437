import { formatDuration, listing } from '../format/text';
import type { DeploymentStatus, DeploymentView } from '../http/pipeline-schemas';
import { batchProgress, isTroubled, percent, progressBar, STEP_LOOK } from './progress';
import { seg, type Segment, type StyledLine, type Style } from './styled-line';

/**
 * The live view of a deployment for a terminal: a header, a progress bar per batch with each of
 * its servers' step (drain waits and test results in the detail), and the outcome. Pure: the
 * same view and clock give the same lines.
 */
const BAR_WIDTH = 24;

const STATUS_STYLE: Record<DeploymentStatus, Style> = {
  requested: 'cyan',
  running: 'cyan',
  paused: 'yellow',
  succeeded: 'green',
  failed: 'red',
  rolled_back: 'red',
  aborted: 'red',
  rejected: 'red',
};

export interface FrameOptions {
  /** Show servers only for the running batch and the ones in trouble (a frame taller than the terminal cannot be redrawn). */
  compact?: boolean;
}

export function renderFrame(view: DeploymentView, clock: number, options: FrameOptions = {}): StyledLine[] {
  // A finished deployment's clock stops when it finished.
  const now = view.finishedAt === null ? clock : Date.parse(view.finishedAt);
  const lines: StyledLine[] = [header(view), statusLine(view, now)];
  if (view.requestedBy !== null) {
    lines.push([
      seg(
        `requested by ${view.requestedBy}${view.approvedBy.length > 0 ? ` · approved by ${listing(view.approvedBy)}` : ''}`,
        'dim',
      ),
    ]);
  }
  lines.push([]);
  if (view.batches.length === 0) {
    lines.push([
      seg(
        view.status === 'requested'
          ? `waiting for the orchestrator to start the rollout${since(view.requestedAt, now)}`
          : 'no batches',
        'dim',
      ),
    ]);
  }
  const nameWidth = Math.max(8, ...Object.keys(view.servers).map((id) => id.length));
  for (const batch of view.batches) {
    lines.push(batchLine(view, batch, now));
    for (const serverId of batch.servers) {
      const step = view.servers[serverId]?.step ?? 'pending';
      if (options.compact === true && batch.status !== 'running' && !isTroubled(step)) continue;
      lines.push(serverLine(view, serverId, nameWidth, now));
    }
  }
  const footer = outcomeLines(view);
  if (footer.length > 0) lines.push([], ...footer);
  return lines;
}

function header(view: DeploymentView): StyledLine {
  const what =
    view.service === null
      ? 'deployment'
      : `${view.service} ${view.version ?? '?'} → ${view.environment ?? '?'}`;
  return [
    seg(what, 'bold'),
    seg(`   deployment ${view.id}`, 'dim'),
    seg(view.manifestVersion === null ? '' : `   manifest v${view.manifestVersion}`, 'dim'),
  ];
}

function statusLine(view: DeploymentView, now: number): StyledLine {
  const parts: Segment[] = [seg(view.status.replace('_', ' ').toUpperCase(), STATUS_STYLE[view.status])];
  const started = view.startedAt ?? view.requestedAt;
  if (started !== null) {
    const elapsed =
      view.durationMs ?? (view.finishedAt !== null ? Date.parse(view.finishedAt) : now) - Date.parse(started);
    const estimate =
      view.plan === null ? '' : ` of ~${formatDuration(view.plan.estimatedSeconds * 1000)} estimated`;
    parts.push(seg(`   ${formatDuration(elapsed)}${view.finishedAt === null ? ` elapsed${estimate}` : ''}`));
  }
  if (view.plan !== null) {
    const servers = Object.values(view.servers);
    const online = servers.filter((s) => s.step === 'online').length;
    parts.push(
      seg(`   servers online ${online}/${view.plan.totalServers} · min healthy ${view.plan.minHealthy}`),
    );
  }
  if (view.status === 'paused')
    parts.push(seg(`   resume: conveyor deployments resume ${view.id}`, 'yellow'));
  return parts;
}

function batchLine(view: DeploymentView, batch: DeploymentView['batches'][number], now: number): StyledLine {
  const fraction = batchProgress(batch, view.servers);
  const stopped = view.finishedAt !== null && batch.status === 'running';
  const troubled = stopped || batch.servers.some((id) => isTroubled(view.servers[id]?.step ?? 'pending'));
  const title = `batch ${batch.index + 1}/${view.batches.length}${batch.kind === 'canary' ? ' canary' : ''}`;
  const state =
    batch.status === 'completed'
      ? `completed${batch.durationMs === null ? '' : ` in ${formatDuration(batch.durationMs)}`}`
      : batch.status === 'running'
        ? `${stopped ? 'stopped after' : 'running'}${since(batch.startedAt, now)}`
        : 'pending';
  const barStyle: Style = troubled
    ? 'red'
    : batch.status === 'completed'
      ? 'green'
      : batch.status === 'running'
        ? 'cyan'
        : 'dim';
  return [
    seg(`${title.padEnd(16)} `, 'bold'),
    seg(progressBar(fraction, BAR_WIDTH), barStyle),
    seg(` ${percent(fraction)}  `),
    seg(state, batch.status === 'pending' ? 'dim' : undefined),
  ];
}

function serverLine(view: DeploymentView, serverId: string, nameWidth: number, now: number): StyledLine {
  const server = view.servers[serverId];
  const step = server?.step ?? 'pending';
  const look = STEP_LOOK[step];
  const line: Segment[] = [
    seg(`  ${serverId.padEnd(nameWidth)}  `),
    seg(`${look.glyph} ${look.label.padEnd(12)}`, look.style),
  ];
  const detail =
    server === undefined
      ? null
      : serverDetail(step, server.detail, server.updatedAt, view.finishedAt === null, now);
  if (detail !== null) line.push(seg(` ${detail}`, isTroubled(step) ? 'red' : 'dim'));
  return line;
}

/** What a server is waiting for: the step's own detail (test results, failure reasons) or how long it has waited. */
export function serverDetail(
  step: DeploymentView['servers'][string]['step'],
  detail: string | null,
  updatedAt: string,
  live: boolean,
  now: number,
): string | null {
  const waited = live ? formatDuration(now - Date.parse(updatedAt)) : null;
  const suffix = detail === null || detail === '' ? '' : detail;
  switch (step) {
    case 'draining':
      return (
        [waited === null ? null : `waiting ${waited} for sessions to drain`, suffix || null]
          .filter((p) => p !== null)
          .join(' · ') || null
      );
    case 'deploying':
    case 'verifying':
    case 'enabling':
    case 'rolling_back':
      return (
        [suffix || null, waited === null ? null : `(${waited})`].filter((p) => p !== null).join(' ') || null
      );
    case 'pending':
    case 'drained':
    case 'deployed':
    case 'verified':
    case 'online':
    case 'held':
    case 'failed':
    case 'excluded':
      return suffix || null;
  }
}

function outcomeLines(view: DeploymentView): StyledLine[] {
  if (view.outcome === null) {
    const held = Object.entries(view.servers).filter(([, s]) => s.step === 'held');
    return held.length > 0
      ? [
          [
            seg(
              `held on ${held.map(([id]) => id).join(', ')}: retry with conveyor deployments retry ${view.id}, or abort`,
              'red',
            ),
          ],
        ]
      : [];
  }
  const took = view.durationMs === null ? '' : ` in ${formatDuration(view.durationMs)}`;
  if (view.outcome.status === 'succeeded') return [[seg(`✔ succeeded${took}`, 'green')]];
  const where = [view.outcome.step, view.outcome.serverId === null ? null : `on ${view.outcome.serverId}`]
    .filter((p) => p !== null)
    .join(' ');
  return [
    [
      seg(`✖ ${view.outcome.status.replace('_', ' ')}${took}`, 'red'),
      seg(
        `${where === '' ? '' : ` at ${where}`}${view.outcome.reason === null ? '' : `: ${view.outcome.reason}`}`,
      ),
    ],
  ];
}

function since(iso: string | null, now: number): string {
  return iso === null ? '' : ` ${formatDuration(now - Date.parse(iso))}`;
}
