import { Controller, type DynamicModule } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { checkCommand, loadTrustedKeys, MemoryNonceStore, type TrustedKeys } from '@conveyor/command-signing';
import {
  deployCommandPayload,
  migrateCommandPayload,
  rollbackCommandPayload,
  type EventInput,
  type EventMap,
  type EventType,
} from '@conveyor/contracts';
import { EventContext, OnEvent } from '@conveyor/messaging';
import { startService, testServiceEnv, type RunningService } from '@conveyor/service-kit';
import { ParticipantBus, type TestVhost } from '@conveyor/testing';

export interface ParticipantScript {
  /** Nodes whose agent neither answers nor sends heartbeats (it died). */
  silent: Set<string>;

  /** Verification fails when this returns a reason. */
  failVerification?: (request: EventMap['verification.requested']) => string | undefined;
  replyDelayMs: number;
  /** Simulated time of each kind of step (e.g. a deploy that takes 2 s), on top of replyDelayMs. */
  stepDelaysMs?: Partial<Record<'drain' | 'enable' | 'deploy' | 'verify', number>>;
  /**
   * An agent's reply is lost when this returns true (`copy`: 1 for the first command of a step id,
   * 2 for its first re-send, …): the step ran, its answer never reaches the orchestrator.
   */
  dropAgentReply?: (step: { kind: string; nodeId: string; stepId: string; copy: number }) => boolean;
  /**
   * A command never reaches its agent when this returns true (lost with the agent's queue in a
   * broker restart): not run, not journalled, not answered. `copy` counts every copy of the step id.
   */
  loseCommand?: (step: { kind: string; nodeId: string; stepId: string; copy: number }) => boolean;
}

export interface Recorded {
  /** Every deployment.* event the orchestrator emitted, in arrival order. */
  deploymentEvents: { type: string; data: Record<string, unknown> }[];
  /** How many times each agent step id / pool operation / verification was executed. */
  executions: Map<string, number>;
  agentSteps: { kind: string; nodeId: string; stepId: string }[];
  /** Commands lost on their way (see `loseCommand`), with when each copy arrived (ms since epoch). */
  lostCommands: { kind: string; nodeId: string; stepId: string; at: number }[];
  /** When each copy of an agent command arrived (ms since epoch), by step id. */
  commandArrivals: Map<string, number[]>;
  drains: EventMap['pool.drain.requested'][];
  enables: EventMap['pool.enable.requested'][];
  verifications: EventMap['verification.requested'][];
  /** Drains that would have broken the floor had the pool obeyed them. */
  floorViolations: string[];
  minOnlineSeen: number;
  commandRejections: string[];
  /** Agent commands received again for a step id already run (a re-send): answered, not re-run. */
  agentResends: { kind: string; nodeId: string; stepId: string }[];
  /** `agent.state.requested` received: the node asked about. */
  stateRequests: string[];
}

const DEPLOYMENT_EVENTS = [
  'deployment.started',
  'deployment.batch.started',
  'deployment.batch.completed',
  'deployment.server.progressed',
  'deployment.succeeded',
  'deployment.failed',
  'deployment.rolled_back',
  'deployment.aborted',
  'deployment.paused',
  'deployment.resumed',
  'deployment.rejected',
  'deployment.control.refused',
] as const;

/**
 * A test service that plays pool manager (a pool of `servers` that refuses drains below the floor),
 * agents (checking every command's signature) and verifier, answering over RabbitMQ, and records
 * what it was asked. It consumes as the test vhost's administrator and publishes each event as
 * its real producer's own broker user (ParticipantBus), so the orchestrator accepts it.
 */
export class ScriptedParticipants {
  readonly recorded: Recorded = {
    deploymentEvents: [],
    executions: new Map(),
    lostCommands: [],
    commandArrivals: new Map(),
    agentSteps: [],
    drains: [],
    enables: [],
    verifications: [],
    floorViolations: [],
    minOnlineSeen: Number.POSITIVE_INFINITY,
    commandRejections: [],
    agentResends: [],
    stateRequests: [],
  };
  /** Each agent's step journal: the reply it gave (or would have given) per step id. */
  private readonly journal = new Map<
    string,
    { kind: 'deploy' | 'rollback' | 'migrate'; copies: number; send: () => void }
  >();
  readonly online: Set<string>;
  readonly versions = new Map<string, string>();
  private service: RunningService | undefined;
  private participantBus: ParticipantBus | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private sequence = 0;
  private readonly trustedKeys: TrustedKeys;
  private readonly nonces = new MemoryNonceStore();

  constructor(
    readonly servers: string[],
    publicKeyPem: string,
    readonly script: ParticipantScript,
  ) {
    this.online = new Set(servers);
    this.recorded.minOnlineSeen = servers.length;
    this.trustedKeys = loadTrustedKeys([publicKeyPem]);
    for (const id of servers) this.versions.set(id, '1.0.0');
  }

  async start(vhost: TestVhost, databaseUrl: string): Promise<void> {
    this.participantBus = new ParticipantBus(vhost);
    const controllers = participantControllers(this);
    class ParticipantsModule {}
    this.service = await startService(
      {
        name: 'participants',
        schema: 'participants',
        defaultPort: 0,
        module: (kit: DynamicModule) => ({ module: ParticipantsModule, imports: [kit], controllers }),
      },
      testServiceEnv(vhost.adminUrl, databaseUrl),
    );
    this.sendHeartbeats();
    this.heartbeat = setInterval(() => this.sendHeartbeats(), 500);
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.service?.close();
    await this.participantBus?.close();
  }

  /** Publishes an event as its producer would (the pipeline on an operator's behalf, an agent, …). */
  async send<T extends EventType>(type: T, data: EventInput[T]): Promise<void> {
    await this.bus().publish(type, data, { actor: 'user:operator' });
  }

  /** `nodeId`'s agent announces itself again, as a real one does once its queue is back after a broker outage. */
  async reregister(nodeId: string): Promise<void> {
    await this.send('agent.registered', {
      nodeId,
      facts: { service: 'billing' },
      agentVersion: 'scripted',
      currentVersion: this.versions.get(nodeId) ?? null,
      startedAt: new Date().toISOString(),
      reconnected: true,
    });
  }

  events(type?: string): { type: string; data: Record<string, unknown> }[] {
    return this.recorded.deploymentEvents.filter((e) => type === undefined || e.type === type);
  }

  private bus(): ParticipantBus {
    if (!this.participantBus) throw new Error('participants not started');
    return this.participantBus;
  }

  private reply<T extends EventType>(
    type: T,
    data: EventInput[T],
    step?: 'drain' | 'enable' | 'deploy' | 'verify',
  ): void {
    const delay = this.script.replyDelayMs + (step ? (this.script.stepDelaysMs?.[step] ?? 0) : 0);
    setTimeout(() => this.sendDurably(type, data, Date.now() + 60_000), delay);
  }

  /** Like a real participant's outbox: a publish that failed (the broker connection dropped) is tried again. */
  private sendDurably<T extends EventType>(type: T, data: EventInput[T], until: number): void {
    this.send(type, data).catch(() => {
      if (Date.now() < until) setTimeout(() => this.sendDurably(type, data, until), 250);
    });
  }

  private executed(key: string): void {
    this.recorded.executions.set(key, (this.recorded.executions.get(key) ?? 0) + 1);
  }

  private sendHeartbeats(): void {
    const live = this.servers.filter((id) => !this.script.silent.has(id));
    this.sequence += 1;
    const sequence = this.sequence;
    for (const nodeId of live) {
      this.bus()
        .publish('agent.heartbeat', {
          nodeId,
          facts: { service: 'billing' },
          currentVersion: this.versions.get(nodeId) ?? null,
          sequence,
          intervalMs: 500,
        })
        .catch(() => undefined);
    }
  }

  onDrain(data: EventMap['pool.drain.requested']): void {
    this.executed(`drain:${data.operationId}`);
    this.recorded.drains.push(data);
    const remaining = [...this.online].filter((id) => !data.servers.includes(id)).length;
    if (remaining < data.minHealthy) {
      this.recorded.floorViolations.push(
        `${data.servers.join(',')} leaves ${remaining} < ${data.minHealthy}`,
      );
      this.reply('pool.operation.failed', {
        operationId: data.operationId,
        deploymentId: data.deploymentId,
        pool: data.pool,
        operation: 'drain',
        reason: 'capacity_floor',
        detail: `would leave ${remaining}`,
      });
      return;
    }
    for (const id of data.servers) this.online.delete(id);
    this.recorded.minOnlineSeen = Math.min(this.recorded.minOnlineSeen, this.online.size);
    const servers = data.servers.map((server) => ({
      server,
      sessionsAtStart: 0,
      waitedMs: 0,
      sessionsShutDown: 0,
    }));
    this.reply(
      'pool.server.drained',
      {
        operationId: data.operationId,
        deploymentId: data.deploymentId,
        pool: data.pool,
        servers,
        durationMs: 1,
      },
      'drain',
    );
  }

  onEnable(data: EventMap['pool.enable.requested']): void {
    this.executed(`enable:${data.operationId}`);
    this.recorded.enables.push(data);
    for (const id of data.servers) this.online.add(id);
    this.reply(
      'pool.server.enabled',
      {
        operationId: data.operationId,
        deploymentId: data.deploymentId,
        pool: data.pool,
        servers: data.servers,
        durationMs: 1,
      },
      'enable',
    );
  }

  async onAgentCommand(kind: 'deploy' | 'rollback' | 'migrate', received: unknown): Promise<void> {
    const payloadSchema =
      kind === 'deploy'
        ? deployCommandPayload
        : kind === 'rollback'
          ? rollbackCommandPayload
          : migrateCommandPayload;
    const target = (received as { target?: { nodeIds?: string[] } }).target?.nodeIds?.[0] ?? '';
    const checked = await checkCommand(received, {
      trustedKeys: this.trustedKeys,
      nodeId: target,
      facts: {},
      nonceStore: this.nonces,
      payloadSchema,
      now: new Date(),
    });
    if (!checked.ok) {
      this.recorded.commandRejections.push(`${kind} for ${target}: ${checked.reason} ${checked.detail}`);
      return;
    }
    const { commandId, payload } = checked.command;
    const arrivals = this.recorded.commandArrivals.get(payload.stepId) ?? [];
    arrivals.push(Date.now());
    this.recorded.commandArrivals.set(payload.stepId, arrivals);
    const copy = { kind, nodeId: target, stepId: payload.stepId, copy: arrivals.length };
    if (!this.journal.has(payload.stepId) && this.script.loseCommand?.(copy)) {
      this.recorded.lostCommands.push({ kind, nodeId: target, stepId: payload.stepId, at: Date.now() });
      return;
    }
    const known = this.journal.get(payload.stepId);
    if (known) {
      // Idempotent per step id, like the real agent: a re-send is answered with the recorded result.
      known.copies += 1;
      this.recorded.agentResends.push({ kind, nodeId: target, stepId: payload.stepId });
      if (!this.script.dropAgentReply?.({ kind, nodeId: target, stepId: payload.stepId, copy: known.copies }))
        known.send();
      return;
    }
    this.executed(`${kind}:${payload.stepId}`);
    this.recorded.agentSteps.push({ kind, nodeId: target, stepId: payload.stepId });
    if (this.script.silent.has(target)) return;
    const report = {
      commandId,
      deploymentId: payload.deploymentId,
      stepId: payload.stepId,
      nodeId: target,
      durationMs: 1,
    };
    if (kind === 'deploy' && 'artifact' in payload) this.versions.set(target, payload.artifact.version);
    if (kind === 'rollback')
      this.versions.set(target, ('toVersion' in payload && payload.toVersion) || '1.0.0');
    const send = () =>
      this.reply(
        kind === 'deploy'
          ? 'agent.deploy.succeeded'
          : kind === 'rollback'
            ? 'agent.rollback.succeeded'
            : 'agent.migrate.succeeded',
        report,
        'deploy',
      );
    this.journal.set(payload.stepId, { kind, copies: 1, send });
    if (!this.script.dropAgentReply?.({ kind, nodeId: target, stepId: payload.stepId, copy: 1 })) send();
  }

  /** An agent says what it runs now and which steps it journalled. */
  onStateRequested(data: EventMap['agent.state.requested']): void {
    this.recorded.stateRequests.push(data.nodeId);
    if (!this.servers.includes(data.nodeId) || this.script.silent.has(data.nodeId)) return;
    const recentSteps = [...this.journal.entries()]
      .filter(([stepId]) => stepId.endsWith(`.${data.nodeId}`))
      .slice(-50)
      .map(([stepId, entry]) => ({ stepId, kind: entry.kind, outcome: 'succeeded' as const }));
    this.reply('agent.state.reported', {
      nodeId: data.nodeId,
      requestId: data.requestId,
      currentVersion: this.versions.get(data.nodeId) ?? null,
      previousVersion: null,
      recentSteps,
    });
  }

  onVerify(data: EventMap['verification.requested']): void {
    this.executed(`verify:${data.verificationId}`);
    this.recorded.verifications.push(data);
    const reason = this.script.failVerification?.(data);
    const outcome = {
      verificationId: data.verificationId,
      deploymentId: data.deploymentId,
      batchIndex: data.batchIndex,
      durationMs: 1,
    };
    const results = data.servers.map((s) => ({
      serverId: s.id,
      check: 'health',
      type: 'http' as const,
      verdict: reason ? ('failed' as const) : ('passed' as const),
      expected: `version ${data.expectedVersion}`,
      actual: reason ?? 'ok',
      durationMs: 1,
    }));
    if (reason) this.reply('verification.failed', { ...outcome, results, summary: reason, reason }, 'verify');
    else this.reply('verification.passed', { ...outcome, results, summary: 'all checks passed' }, 'verify');
  }
}

/** The participants' handlers, bound to one ScriptedParticipants. */
function participantControllers(self: ScriptedParticipants): (new (...args: never[]) => unknown)[] {
  @Controller()
  class ParticipantHandlers {
    @OnEvent('pool.drain.requested')
    drain(@Payload() data: EventMap['pool.drain.requested']) {
      self.onDrain(data);
    }
    @OnEvent('pool.enable.requested')
    enable(@Payload() data: EventMap['pool.enable.requested']) {
      self.onEnable(data);
    }
    @OnEvent('agent.deploy.requested')
    deploy(@Payload() data: unknown, @Ctx() ctx: EventContext) {
      return self.onAgentCommand('deploy', ctx.delivery.receivedData ?? data);
    }
    @OnEvent('agent.rollback.requested')
    rollback(@Payload() data: unknown, @Ctx() ctx: EventContext) {
      return self.onAgentCommand('rollback', ctx.delivery.receivedData ?? data);
    }
    @OnEvent('agent.migrate.requested')
    migrate(@Payload() data: unknown, @Ctx() ctx: EventContext) {
      return self.onAgentCommand('migrate', ctx.delivery.receivedData ?? data);
    }
    @OnEvent('agent.state.requested')
    state(@Payload() data: EventMap['agent.state.requested']) {
      self.onStateRequested(data);
    }
    @OnEvent('verification.requested')
    verify(@Payload() data: EventMap['verification.requested']) {
      self.onVerify(data);
    }
  }
  @Controller()
  class DeploymentEventRecorder {}
  for (const type of DEPLOYMENT_EVENTS) {
    const handler = function (this: unknown, data: Record<string, unknown>) {
      self.recorded.deploymentEvents.push({ type, data });
    };
    Object.defineProperty(DeploymentEventRecorder.prototype, `on_${type.replace(/\./g, '_')}`, {
      value: handler,
    });
    Payload()(DeploymentEventRecorder.prototype, `on_${type.replace(/\./g, '_')}`, 0);
    const descriptor = Object.getOwnPropertyDescriptor(
      DeploymentEventRecorder.prototype,
      `on_${type.replace(/\./g, '_')}`,
    ) as PropertyDescriptor;
    OnEvent(type)(DeploymentEventRecorder.prototype, `on_${type.replace(/\./g, '_')}`, descriptor);
  }
  return [ParticipantHandlers, DeploymentEventRecorder];
}
