import { Module, type DynamicModule } from '@nestjs/common';
import { BakeRunner } from './bake/bake-runner.service';
import { BakeRepository } from './persistence/bake.repository';
import { VerificationRepository } from './persistence/verification.repository';
import { VerificationRequestsConsumer } from './verification/verification-requests.consumer';
import { VerificationRunner } from './verification/verification-runner.service';
import { VERIFIER_ENV, type VerifierEnv } from './verifier-env';

/** Health checks and smoke suites against servers in maintenance; the bake window. */
@Module({})
export class VerifierModule {
  static register(kit: DynamicModule, env: VerifierEnv): DynamicModule {
    return {
      module: VerifierModule,
      imports: [kit],
      controllers: [VerificationRequestsConsumer],
      providers: [
        { provide: VERIFIER_ENV, useValue: env },
        { provide: VerificationRepository, useValue: new VerificationRepository() },
        { provide: BakeRepository, useValue: new BakeRepository() },
        VerificationRunner,
        BakeRunner,
      ],
    };
  }
}
