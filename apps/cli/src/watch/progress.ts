import type { DeploymentView, ServerStep } from '../http/pipeline-schemas';
import type { Style } from './styled-line';

/** How far along its way to `online` a server is, and how it looks. Pure. */
export const STEP_LOOK: Record<ServerStep, { progress: number; glyph: string; style: Style; label: string }> =
  {
    pending: { progress: 0, glyph: '·', style: 'dim', label: 'pending' },
    draining: { progress: 1 / 8, glyph: '◐', style: 'yellow', label: 'draining' },
    drained: { progress: 2 / 8, glyph: '◐', style: 'yellow', label: 'drained' },
    deploying: { progress: 3 / 8, glyph: '◑', style: 'cyan', label: 'deploying' },
    deployed: { progress: 4 / 8, glyph: '◑', style: 'cyan', label: 'deployed' },
    verifying: { progress: 5 / 8, glyph: '◒', style: 'cyan', label: 'verifying' },
    verified: { progress: 6 / 8, glyph: '◒', style: 'cyan', label: 'verified' },
    enabling: { progress: 7 / 8, glyph: '◓', style: 'cyan', label: 'enabling' },
    online: { progress: 1, glyph: '✔', style: 'green', label: 'online' },
    excluded: { progress: 1, glyph: '–', style: 'dim', label: 'excluded' },
    rolling_back: { progress: 0, glyph: '↺', style: 'red', label: 'rolling back' },
    held: { progress: 0, glyph: '⏸', style: 'red', label: 'held' },
    failed: { progress: 0, glyph: '✖', style: 'red', label: 'failed' },
  };

export const isTroubled = (step: ServerStep) =>
  step === 'rolling_back' || step === 'held' || step === 'failed';

type Batch = DeploymentView['batches'][number];

/** A batch's completion from 0 to 1: 1 when completed, otherwise the mean of its servers' progress. */
export function batchProgress(batch: Batch, servers: DeploymentView['servers']): number {
  if (batch.status === 'completed') return 1;
  if (batch.servers.length === 0) return 0;
  const sum = batch.servers.reduce(
    (total, id) => total + STEP_LOOK[servers[id]?.step ?? 'pending'].progress,
    0,
  );
  return sum / batch.servers.length;
}

/** "██████░░░░" for 0.6 at width 10. */
export function progressBar(fraction: number, width: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export const percent = (fraction: number) =>
  `${String(Math.round(Math.min(1, Math.max(0, fraction)) * 100)).padStart(3)}%`;
