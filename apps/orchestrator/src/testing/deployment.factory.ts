import { randomUUID } from 'node:crypto';
import type { DeploymentRequested, EventInput } from '@conveyor/contracts';
import { withProof } from './deployment-proof.factory';
import type { Decision, DeploymentState } from '../domain/deployment-state.types';
import { decide, type DecisionInput } from '../domain/decide';
import { startDeployment, type KnownAgent, type StartContext } from '../domain/start-deployment';

export const SHA = 'a'.repeat(64);

export function serverIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `web-${i + 1}`);
}

type StrategyInput = EventInput['deployment.requested']['environmentSpec']['strategy'];

export interface RequestOptions {
  servers?: number;
  strategy?: Partial<StrategyInput>;
  migration?: boolean;
  bakeSeconds?: number;
  version?: string;
  /** Replaces the default verification spec. */
  verification?: EventInput['deployment.requested']['environmentSpec']['verification'];
}

/** A deployment.requested for `servers` listed servers, batches of 2 with a canary of 1 by default. */
export function deploymentRequest(options: RequestOptions = {}): DeploymentRequested {
  const count = options.servers ?? 6;
  const version = options.version ?? '2.0.0';
  return withProof({
    deploymentId: randomUUID(),
    service: 'billing',
    environment: 'production',
    version,
    artifact: {
      service: 'billing',
      version,
      url: `https://artifacts.example/billing-${version}.tgz`,
      sha256: SHA,
      size: 4096,
    },
    manifestVersion: 1,
    environmentSpec: {
      pool: 'billing-web',
      servers: serverIds(count).map((id, i) => ({ id, address: `127.0.0.1:${9100 + i}` })),
      strategy: {
        batchSize: 2,
        canary: 1,
        minHealthy: Math.max(0, count - 2),
        stepTimeoutSeconds: 60,
        drainTimeoutSeconds: 30,
        ...options.strategy,
      },
      verification: options.verification ?? {
        timeoutSeconds: 30,
        bakeSeconds: options.bakeSeconds ?? 0,
        health: { versionField: 'version', timeoutSeconds: 20 },
      },
      ...(options.migration
        ? { migration: { runner: 'web-1', timeoutSeconds: 60, backwardCompatible: true } }
        : {}),
    },
    requestedBy: 'alice',
  });
}

export function knownAgents(count: number, currentVersion: string | null = '1.0.0'): KnownAgent[] {
  return serverIds(count).map((nodeId) => ({ nodeId, facts: { service: 'billing' }, currentVersion }));
}

export function startContext(agents: KnownAgent[] = knownAgents(6)): StartContext {
  return { agents, agentSilenceMs: 10_000, livenessCheckMs: 1_000 };
}

/** Starts a deployment and throws if it was refused. */
export function started(
  request: DeploymentRequested,
  now = 0,
  agents: KnownAgent[] = knownAgents(request.environmentSpec.servers?.length ?? 6),
): Decision {
  const result = startDeployment(request, startContext(agents), now);
  if (!result.ok) throw new Error(`refused: ${result.reason}: ${result.detail}`);
  return result.decision;
}

/** The answers a well-behaved participant gives to everything a decision asked for. */
export function successfulAnswers(decision: Decision): DecisionInput[] {
  const answers: DecisionInput[] = [];
  for (const event of decision.events) {
    if (event.type === 'pool.drain.requested')
      answers.push({ type: 'pool.drained', operationId: event.data.operationId });
    if (event.type === 'pool.enable.requested')
      answers.push({ type: 'pool.enabled', operationId: event.data.operationId });
    if (event.type === 'verification.requested')
      answers.push({ type: 'verification.passed', verificationId: event.data.verificationId });
    if (event.type === 'verification.bake.requested')
      answers.push({
        type: 'bake.completed',
        bakeId: event.data.bakeId,
        outcome: 'healthy',
        detail: 'steady',
      });
  }
  for (const command of decision.commands) {
    answers.push({
      type: 'agent.succeeded',
      kind: command.kind,
      stepId: command.payload.stepId,
      nodeId: command.nodeId,
    });
  }
  return answers;
}

/** Feeds inputs one by one, collecting every decision. */
export class Driver {
  readonly decisions: Decision[] = [];
  now: number;

  constructor(first: Decision, now = 0) {
    this.decisions.push(first);
    this.now = now;
    this.outstanding.push(...successfulAnswers(first));
  }

  get state(): DeploymentState {
    const last = this.decisions.at(-1);
    if (!last) throw new Error('no decision yet');
    return last.state;
  }

  get last(): Decision {
    return this.decisions[this.decisions.length - 1] as Decision;
  }

  /** Answers not yet delivered, in the order they were asked for. */
  readonly outstanding: DecisionInput[] = [];

  feed(input: DecisionInput, advanceMs = 10): Decision {
    this.now += advanceMs;
    const decision = decide(this.state, input, this.now);
    this.decisions.push(decision);
    this.outstanding.push(...successfulAnswers(decision));
    return decision;
  }

  /**
   * Delivers outstanding answers in order until none is left. `script` may replace an answer
   * (a failure) or drop it (`null`: the participant stays silent).
   */
  run(script: (answer: DecisionInput) => DecisionInput | null = (a) => a): this {
    for (let guard = 0; guard < 500 && this.outstanding.length > 0; guard++) {
      const answer = script(this.outstanding.shift() as DecisionInput);
      if (answer) this.feed(answer);
    }
    return this;
  }

  events(): Decision['events'] {
    return this.decisions.flatMap((d) => d.events);
  }

  eventTypes(): string[] {
    return this.events().map((e) => e.type);
  }

  commands(): Decision['commands'] {
    return this.decisions.flatMap((d) => d.commands);
  }
}
