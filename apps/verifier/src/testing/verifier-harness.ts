import { Controller, type DynamicModule } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventInput, EventMap } from '@conveyor/contracts';
import { EventContext, OnEvent, TransactionalBus } from '@conveyor/messaging';
import { startService, testServiceEnv, type RunningService } from '@conveyor/service-kit';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { verifierService } from '../verifier.boot';
import type { VerifierEnv } from '../config/verifier-env';

type Observed =
  | 'verification.started'
  | 'verification.passed'
  | 'verification.failed'
  | 'health.degraded'
  | 'verification.bake.completed';
type Outcome = EventMap['verification.passed'] | EventMap['verification.failed'];

/** What the probe service saw on the bus, by type. */
class Seen {
  readonly events: { type: Observed; data: EventMap[Observed] }[] = [];
  of<T extends Observed>(type: T): EventMap[T][] {
    return this.events.filter((e) => e.type === type).map((e) => e.data as EventMap[T]);
  }
}

function probeModule(seen: Seen) {
  @Controller()
  class ProbeHandlers {
    @OnEvent('verification.started')
    started(@Payload() data: EventMap['verification.started'], @Ctx() _ctx: EventContext) {
      seen.events.push({ type: 'verification.started', data });
    }
    @OnEvent('verification.passed')
    passed(@Payload() data: EventMap['verification.passed'], @Ctx() _ctx: EventContext) {
      seen.events.push({ type: 'verification.passed', data });
    }
    @OnEvent('verification.failed')
    failed(@Payload() data: EventMap['verification.failed'], @Ctx() _ctx: EventContext) {
      seen.events.push({ type: 'verification.failed', data });
    }
    @OnEvent('health.degraded')
    degraded(@Payload() data: EventMap['health.degraded'], @Ctx() _ctx: EventContext) {
      seen.events.push({ type: 'health.degraded', data });
    }
    @OnEvent('verification.bake.completed')
    baked(@Payload() data: EventMap['verification.bake.completed'], @Ctx() _ctx: EventContext) {
      seen.events.push({ type: 'verification.bake.completed', data });
    }
  }
  class ProbeModule {}
  return (kit: DynamicModule): DynamicModule => ({
    module: ProbeModule,
    imports: [kit],
    controllers: [ProbeHandlers],
  });
}

/**
 * A real verifier and a probe service (stands in for the orchestrator: publishes requests
 * through its outbox, records what the verifier emits) on a fresh vhost and database.
 */
export class VerifierHarness {
  readonly seen = new Seen();
  verifier!: RunningService;
  private probe!: RunningService;
  vhost!: TestVhost;
  database!: TestDatabase;

  /** With `{ verifier: false }` only the probe starts (a test runs the verifier as its own process). */
  async start(options: { verifier?: boolean } = {}): Promise<void> {
    // One after the other, so `stop()` can clean up whatever was created if the other hangs.
    this.database = await createTestDatabase();
    this.vhost = await createTestVhost();
    // The probe plays the orchestrator on the bus: its queue, its broker user, its events.
    const base = testServiceEnv(this.vhost.urlFor('orchestrator'), this.database.url);
    this.probe = await startService(
      { name: 'orchestrator', schema: 'probe', defaultPort: 0, module: probeModule(this.seen) },
      base,
    );
    if (options.verifier !== false) await this.startVerifier();
  }

  async startVerifier(overrides: Partial<VerifierEnv> = {}): Promise<RunningService> {
    const env: VerifierEnv = {
      // As its own login (`<database>_verifier`, owner of schema `verifier` only).
      ...testServiceEnv(this.vhost.urlFor('verifier'), this.database.loginUrl('verifier')),
      LOG_LEVEL: process.env['VERIFIER_TEST_LOG_LEVEL'] === 'info' ? 'info' : 'silent',
      VERIFIER_MAX_ACTIVE: 8,
      VERIFIER_POLL_MS: 100,
      VERIFIER_LEASE_SECONDS: 30,
      VERIFIER_MAX_ATTEMPTS: 3,
      VERIFIER_RESULT_FILE_MAX_BYTES: 64 * 1024 * 1024,
      ...overrides,
    };
    this.verifier = await startService(verifierService, env);
    return this.verifier;
  }

  async publish<T extends keyof EventInput>(type: T, data: EventInput[T]): Promise<void> {
    await this.probe.app.get(TransactionalBus).transaction(async (unit) => {
      unit.emit(type, data);
    });
  }

  /** Waits for the verification's passed or failed event. */
  outcomeOf(
    verificationId: string,
    timeoutMs = 30_000,
  ): Promise<{ passed: boolean; data: Outcome & { reason?: string } }> {
    return waitFor(
      `the outcome of verification ${verificationId}`,
      () => {
        const passed = this.seen.of('verification.passed').find((e) => e.verificationId === verificationId);
        if (passed) return { passed: true, data: passed };
        const failed = this.seen.of('verification.failed').find((e) => e.verificationId === verificationId);
        return failed ? { passed: false, data: failed } : undefined;
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  async stop(): Promise<void> {
    await this.verifier?.close().catch(() => undefined);
    await this.probe?.close().catch(() => undefined);
    await Promise.all([this.vhost?.delete(), this.database?.drop()]);
  }
}
