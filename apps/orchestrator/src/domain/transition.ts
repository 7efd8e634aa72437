import type { DeploymentServerProgressed } from '@conveyor/contracts';
import type {
  AgentCommandIntent,
  BatchState,
  DeploymentState,
  Emission,
  StepKind,
  StepRecord,
  StepStatus,
} from './deployment-state.types';
import { requestIdFor, stepIdFor } from './step-ids';

export const AGENT_STEP_KINDS: readonly StepKind[] = ['deploy', 'rollback', 'migrate'];
const MAX_COMMAND_LIFETIME_MS = 60 * 60 * 1000;

type ServerStep = DeploymentServerProgressed['step'];

/**
 * One transition under construction: a private copy of the state, and the events and agent
 * commands it will emit. Everything it does is pure: time is the `now` it was given.
 */
export class Transition {
  readonly events: Emission[] = [];
  readonly commands: AgentCommandIntent[] = [];
  readonly finishedSteps: StepRecord[] = [];

  constructor(
    readonly s: DeploymentState,
    readonly now: number,
  ) {}

  emit(emission: Emission): void {
    this.events.push(emission);
  }

  progress(batchIndex: number, servers: readonly string[], step: ServerStep, detail?: string): void {
    for (const serverId of servers) {
      this.emit({
        type: 'deployment.server.progressed',
        data: {
          deploymentId: this.s.deploymentId,
          batchIndex,
          serverId,
          step,
          ...(detail === undefined ? {} : { detail: detail.slice(0, 2000) }),
        },
      });
    }
  }

  batch(index: number): BatchState {
    const batch = this.s.batches.find((b) => b.index === index);
    if (!batch) throw new Error(`deployment ${this.s.deploymentId} has no batch ${index}`);
    return batch;
  }

  inFlight(): StepRecord[] {
    return this.s.steps.filter((step) => step.status === 'issued');
  }

  finish(step: StepRecord, status: Exclude<StepStatus, 'issued'>, detail?: string): void {
    step.status = status;
    step.finishedAt = this.now;
    if (detail !== undefined) step.detail = detail;
    if (status !== 'superseded') this.finishedSteps.push(step);
  }

  /** Issues a step: one record per server for agent commands, one for everything else. */
  issue(
    kind: StepKind,
    batchIndex: number | null,
    servers: readonly string[],
    purpose: 'forward' | 'recovery',
    attempt: number,
  ): StepRecord[] {
    const perServer = AGENT_STEP_KINDS.includes(kind) || kind === 'inspect';
    const groups = perServer ? servers.map((server) => [server]) : [servers];
    return groups.map((group) => {
      const sequence = this.s.steps.length + 1;
      const stepId = stepIdFor(
        this.s.deploymentId,
        sequence,
        kind,
        batchIndex,
        perServer ? group[0] : undefined,
      );
      const step: StepRecord = {
        stepId,
        requestId: requestIdFor(stepId),
        kind,
        batchIndex,
        servers: [...group],
        purpose,
        attempt,
        status: 'issued',
        issuedAt: this.now,
        deadlineAt: this.now + this.timeoutOf(kind),
      };
      this.s.steps.push(step);
      this.send(step);
      return step;
    });
  }

  private timeoutOf(kind: StepKind): number {
    const { settings } = this.s;
    const grace = settings.stepTimeoutMs;
    switch (kind) {
      case 'migrate':
        return (settings.migration?.timeoutSeconds ?? 0) * 1000 + grace;
      case 'drain':
        return settings.drainTimeoutMs + grace;
      case 'deploy':
      case 'rollback':
      case 'inspect':
        return settings.stepTimeoutMs;
      case 'verify':
        return settings.verification.timeoutSeconds * 1000 + grace;
      case 'enable':
        return this.healthTimeoutMs() + grace;
      case 'bake':
        return settings.verification.bakeSeconds * 1000 + grace;
    }
  }

  /**
   * Sends an agent command again with the same step id (its reply did not come in time) and moves
   * its deadline on; the agent runs a step once and answers a copy with the recorded result.
   */
  resend(step: StepRecord): void {
    step.sends = (step.sends ?? 1) + 1;
    step.deadlineAt = this.now + this.timeoutOf(step.kind);
    this.send(step);
  }

  /**
   * Sends a request once more as it is — same step id, same deadline — because what was sent may be
   * lost (its agent came back after a broker restart took its queue). Not a re-send for a missed
   * deadline: it neither counts against `commandResends` nor moves the deadline on.
   */
  sendAgain(step: StepRecord): void {
    this.send(step);
  }

  private healthTimeoutMs(): number {
    return Math.min(3_600_000, Math.max(100, this.s.settings.verification.health.timeoutSeconds * 1000));
  }

  private commandLifetimeMs(step: StepRecord): number {
    return Math.min(MAX_COMMAND_LIFETIME_MS, step.deadlineAt - step.issuedAt + 60_000);
  }

  /** The request a step makes, exactly as the participant's contract expects it. */
  private send(step: StepRecord): void {
    const { s } = this;
    const base = { deploymentId: s.deploymentId, stepId: step.stepId };
    const lifetimeMs = this.commandLifetimeMs(step);
    const server = step.servers[0] ?? '';
    switch (step.kind) {
      case 'migrate':
        this.commands.push({
          kind: 'migrate',
          nodeId: server,
          lifetimeMs,
          payload: {
            ...base,
            artifact: s.artifact,
            timeoutSeconds: s.settings.migration?.timeoutSeconds ?? 900,
          },
        });
        return;
      case 'deploy':
        this.commands.push({
          kind: 'deploy',
          nodeId: server,
          lifetimeMs,
          payload: { ...base, artifact: s.artifact },
        });
        return;
      case 'rollback': {
        const toVersion = s.targets[server]?.previousVersion ?? undefined;
        this.commands.push({
          kind: 'rollback',
          nodeId: server,
          lifetimeMs,
          payload: { ...base, ...(toVersion ? { toVersion } : {}) },
        });
        return;
      }
      case 'drain':
        this.emit({
          type: 'pool.drain.requested',
          data: {
            operationId: step.requestId,
            deploymentId: s.deploymentId,
            pool: s.settings.pool,
            servers: [...step.servers],
            drainTimeoutMs: Math.min(3_600_000, Math.max(100, s.settings.drainTimeoutMs)),
            minHealthy: s.settings.minHealthy,
            onTimeout: s.settings.onDrainTimeout,
          },
        });
        return;
      case 'enable':
        this.emit({
          type: 'pool.enable.requested',
          data: {
            operationId: step.requestId,
            deploymentId: s.deploymentId,
            pool: s.settings.pool,
            servers: [...step.servers],
            healthTimeoutMs: this.healthTimeoutMs(),
          },
        });
        return;
      case 'verify':
        this.emit({ type: 'verification.requested', data: this.verificationRequest(step) });
        return;
      case 'inspect':
        this.emit({
          type: 'agent.state.requested',
          data: { nodeId: server, requestId: step.requestId, deploymentId: s.deploymentId },
        });
        return;
      case 'bake':
        this.emit({
          type: 'verification.bake.requested',
          data: {
            bakeId: step.requestId,
            deploymentId: s.deploymentId,
            service: s.service,
            environment: s.environment,
            expectedVersion: s.version,
            // Back online: watched where customers reach them, never through the maintenance backend.
            servers: this.verificationTargets(step.servers, 'direct'),
            health: s.settings.verification.health,
            durationSeconds: Math.max(1, s.settings.verification.bakeSeconds),
          },
        });
        return;
    }
  }

  /**
   * Where the verifier reaches each server: through the pool's maintenance frontend, with the header
   * its backend routes on, when the manifest gives one (and does not say `via: direct`); else the
   * server's own address.
   */
  private verificationTargets(servers: readonly string[], via = this.checksVia()) {
    const maintenance = this.s.settings.verification.maintenance;
    if (via === 'maintenance-backend' && maintenance !== undefined) {
      return servers.map((id) => ({
        id,
        address: maintenance.address,
        via,
        headers: { [maintenance.serverHeader]: id },
      }));
    }
    return servers.map((id) => ({ id, address: this.s.targets[id]?.address ?? '', via: 'direct' as const }));
  }

  private checksVia(): 'direct' | 'maintenance-backend' {
    const { verification } = this.s.settings;
    return verification.via ?? (verification.maintenance ? 'maintenance-backend' : 'direct');
  }

  /** Forward: the new version. Recovery: the version the servers ran before (unchecked when unknown). */
  private verificationRequest(step: StepRecord) {
    const { s } = this;
    let expectedVersion = s.version;
    let spec = s.settings.verification;
    if (step.purpose === 'recovery') {
      const previous = new Set(step.servers.map((id) => s.targets[id]?.previousVersion ?? null));
      const [only] = [...previous];
      if (previous.size === 1 && only) {
        expectedVersion = only;
      } else {
        expectedVersion = 'unknown';
        const { versionField: _unchecked, ...health } = spec.health;
        spec = { ...spec, health };
      }
    }
    return {
      verificationId: step.requestId,
      deploymentId: s.deploymentId,
      service: s.service,
      environment: s.environment,
      batchIndex: step.batchIndex ?? 0,
      expectedVersion,
      servers: this.verificationTargets(step.servers),
      spec,
    };
  }
}
