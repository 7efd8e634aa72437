import type { ArtifactRef, EventInput, EventType, VerificationSpec } from '@conveyor/contracts';

/** The artifact a deployment ships: its size is known (start refuses a request without one); agents enforce it. */
export type SizedArtifactRef = ArtifactRef & { readonly size: number };

/** What a step does: one pool operation, one agent command per server, one verification, one bake. */
export type StepKind =
  | 'migrate'
  | 'drain'
  | 'deploy'
  | 'verify'
  | 'enable'
  | 'rollback'
  | 'bake'
  /** Asks one agent what it really runs (`agent.state.requested`), when a step's outcome is unknown. */
  | 'inspect';

/**
 * `issued`: sent, answer awaited; `succeeded`/`failed`: answered; `timed_out`: its deadline (or its
 * agent's silence) ended it with no answer, so its effect is unknown; `superseded`: abandoned on
 * purpose (abort during a migration) — a late answer is ignored.
 */
export type StepStatus = 'issued' | 'succeeded' | 'failed' | 'timed_out' | 'superseded';

export interface StepRecord {
  /** Unique across every deployment, never reused: agents are idempotent per step id. */
  readonly stepId: string;
  /** The uuid of the request (pool operationId, verificationId, bakeId); equal for every send. */
  readonly requestId: string;
  readonly kind: StepKind;
  /** Null for the migration and the bake window. */
  readonly batchIndex: number | null;
  readonly servers: readonly string[];
  readonly purpose: 'forward' | 'recovery';
  readonly attempt: number;
  status: StepStatus;
  readonly issuedAt: number;
  /** Moved on when an agent command is re-sent (same step id) after its reply did not come. */
  deadlineAt: number;
  /** How many times an agent command was sent (absent: once). */
  sends?: number;
  finishedAt?: number;
  detail?: string;
}

/**
 * A batch's place in the rollout. Forward: pending → draining → deploying → verifying → enabling →
 * done. Recovery of a batch (failure, abort): [draining when it was online] → rolling_back →
 * reverifying → restoring → restored. `held`: stopped in maintenance for investigation.
 */
export type BatchPhase =
  | 'pending'
  | 'draining'
  | 'deploying'
  | 'verifying'
  | 'enabling'
  | 'done'
  | 'recovery_draining'
  | 'rolling_back'
  | 'reverifying'
  | 'restoring'
  | 'restored'
  | 'held';

export interface BatchState {
  readonly index: number;
  readonly kind: 'canary' | 'regular' | 'unhealthy';
  servers: string[];
  phase: BatchPhase;
  /** How many times its forward steps were tried (retry adds one). */
  attempt: number;
  startedAt?: number;
}

export type DeploymentStatus =
  | 'migrating'
  | 'running'
  | 'paused'
  | 'recovering'
  | 'held'
  | 'baking'
  | 'succeeded'
  | 'failed'
  | 'rolled_back'
  | 'aborted';

export const TERMINAL_STATUSES: readonly DeploymentStatus[] = [
  'succeeded',
  'failed',
  'rolled_back',
  'aborted',
];
/** Waiting for a person: no deadline, nothing in flight. */
export const WAITING_STATUSES: readonly DeploymentStatus[] = ['paused', 'held'];

export interface FailureRecord {
  readonly step: StepKind;
  readonly batchIndex: number | null;
  readonly serverId?: string;
  readonly reason: string;
}

/** Why the deployment is recovering, which decides how it ends. */
export type RecoveryCause = 'failure' | 'abort';

export interface DeploymentSettings {
  readonly pool: string;
  /** The floor, resolved to a count: every drain asks the pool manager to keep this many online. */
  readonly minHealthy: number;
  /** The most servers the plan takes out at once. */
  readonly maxOutOfService: number;
  readonly drainTimeoutMs: number;
  readonly onDrainTimeout: 'fail' | 'shutdown_sessions';
  readonly onFailure: 'rollback' | 'hold' | 'rollback-all';
  readonly stepTimeoutMs: number;
  /** An agent with no heartbeat for this long fails its step. */
  readonly agentSilenceMs: number;
  /**
   * After the orchestrator starts listening again (its start, or its broker connection's return),
   * an agent not heard from since is not judged silent for this long: after a broker outage the
   * agents come back over their own jittered reconnect window (up to 30 s by default), not at once.
   * Absent (deployments recorded before it existed): the silence limit.
   */
  readonly agentReconnectGraceMs?: number;
  /** While an agent step runs, its agent's liveness is looked at this often. */
  readonly livenessCheckMs: number;
  /**
   * How many times an agent command whose reply did not come within its timeout is sent again
   * (same step id: agents are idempotent per step id) before the step times out. Absent: 2.
   */
  readonly commandResends?: number;
  readonly verification: VerificationSpec;
  readonly migration?: { readonly runner: string; readonly timeoutSeconds: number };
}

export interface TargetInfo {
  readonly id: string;
  /** host:port for HTTP checks; absent when neither the manifest nor the agent's facts give one. */
  readonly address?: string;
  /** The version the agent reported before the rollout (rollback and re-verification target). */
  readonly previousVersion: string | null;
}

export interface DeploymentState {
  readonly deploymentId: string;
  readonly service: string;
  readonly environment: string;
  readonly version: string;
  readonly artifact: SizedArtifactRef;
  readonly settings: DeploymentSettings;
  readonly targets: Readonly<Record<string, TargetInfo>>;
  readonly startedAt: number;
  /** The request's correlation id: every event of the deployment carries it. */
  readonly correlationId?: string;
  status: DeploymentStatus;
  batches: BatchState[];
  steps: StepRecord[];
  /** Servers this rollout took out of the online pool and has not put back. */
  outOfService: string[];
  excluded: string[];
  pauseRequested: boolean;
  abortRequested: boolean;
  abortReason?: string;
  failure?: FailureRecord;
  recovery?: { cause: RecoveryCause; queue: number[] };
  /**
   * Servers whose recovery failed (rollback failed or got no answer): they stay out of the pool and
   * are reported, while their batch-mates are re-verified and put back.
   */
  stranded?: string[];
  /** What agents reported they run (`agent.state.reported`), with when it was heard. */
  reported?: Record<string, { currentVersion: string | null; at: number }>;
  /** When the scheduler must look at this deployment next; null only in waiting or terminal states. */
  wakeAt: number | null;
  finishedAt?: number;
}

/** An event to publish, typed by the contract registry. */
export type Emission = { [T in EventType]: { type: T; data: EventInput[T] } }[EventType];

/** An agent command before signing: the shell signs it and publishes `agent.<kind>.requested`. */
export type AgentCommandIntent =
  | {
      kind: 'deploy';
      nodeId: string;
      lifetimeMs: number;
      payload: { deploymentId: string; stepId: string; artifact: SizedArtifactRef };
    }
  | {
      kind: 'rollback';
      nodeId: string;
      lifetimeMs: number;
      payload: { deploymentId: string; stepId: string; toVersion?: string };
    }
  | {
      kind: 'migrate';
      nodeId: string;
      lifetimeMs: number;
      payload: { deploymentId: string; stepId: string; artifact: SizedArtifactRef; timeoutSeconds: number };
    };

export interface Decision {
  readonly state: DeploymentState;
  readonly events: Emission[];
  readonly commands: AgentCommandIntent[];
  /** Steps that finished in this transition (for the step-duration metric). */
  readonly finishedSteps: StepRecord[];
  /** Why an input changed nothing (duplicate, stale, not allowed now), for the logs. */
  readonly ignored?: string;
}
