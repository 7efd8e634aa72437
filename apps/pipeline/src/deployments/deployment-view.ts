/** What `GET /deployments/:id` shows: a deployment as the orchestrator's events describe it. */
export type DeploymentStatus =
  | 'requested'
  | 'running'
  | 'paused'
  | 'succeeded'
  | 'failed'
  | 'rolled_back'
  | 'aborted'
  | 'rejected';

export const TERMINAL_STATUSES: readonly DeploymentStatus[] = [
  'succeeded',
  'failed',
  'rolled_back',
  'aborted',
  'rejected',
];

export type ServerStep =
  | 'pending'
  | 'draining'
  | 'drained'
  | 'deploying'
  | 'deployed'
  | 'verifying'
  | 'verified'
  | 'enabling'
  | 'online'
  | 'rolling_back'
  | 'held'
  | 'failed'
  | 'excluded';

export interface BatchView {
  index: number;
  kind: 'canary' | 'regular';
  servers: string[];
  status: 'pending' | 'running' | 'completed';
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
}

export interface ServerView {
  batchIndex: number;
  step: ServerStep;
  detail: string | null;
  updatedAt: string;
}

export interface DeploymentOutcome {
  status: 'succeeded' | 'failed' | 'rolled_back' | 'aborted' | 'rejected';
  reason: string | null;
  step: string | null;
  serverId: string | null;
}

export interface DeploymentView {
  id: string;
  service: string | null;
  environment: string | null;
  version: string | null;
  manifestVersion: number | null;
  /** The sha256 of the artifact rolled out, from deployment.requested. */
  artifactSha256: string | null;
  promotionId: string | null;
  requestedBy: string | null;
  approvedBy: string[];
  status: DeploymentStatus;
  requestedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  plan: { minHealthy: number; totalServers: number; estimatedSeconds: number } | null;
  batches: BatchView[];
  servers: Record<string, ServerView>;
  outcome: DeploymentOutcome | null;
  /** Time of the last event folded in. */
  updatedAt: string;
}

export function isTerminal(status: DeploymentStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
