import { Module, type DynamicModule } from '@nestjs/common';
import { BakeRunner } from './bake/bake-runner.service';
import { BakeRepository } from './persistence/bake.repository';
import { VerificationRepository } from './persistence/verification.repository';
import { VerificationRequestsConsumer } from './verification/verification-requests.consumer';
import { VerificationIntake } from './verification/verification-intake.service';
import { VerificationRunner } from './verification/verification-runner.service';
import { VERIFIER_SETTINGS, verifierSettings, type VerifierEnv } from './config/verifier-env';
import { VerifierMetrics } from './metrics/verifier-metrics';

/** Health checks and smoke suites against servers in maintenance; the bake window. */
@Module({})
export class VerifierModule {
  static register(kit: DynamicModule, env: VerifierEnv): DynamicModule {
    return {
      module: VerifierModule,
      imports: [kit],
      controllers: [VerificationRequestsConsumer],
      providers: [
        { provide: VERIFIER_SETTINGS, useValue: verifierSettings(env) },
        VerifierMetrics,
        VerificationRepository,
        BakeRepository,
        VerificationIntake,
        VerificationRunner,
        BakeRunner,
      ],
    };
  }
}
