import { AuditMetrics } from './metrics/audit-metrics';
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay, TransactionalBus } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { API_ACCESS_REFUSALS, SERVICE_LOGGER } from '@conveyor/service-kit';
import { AuditAccessRecorder } from './access/audit-access-recorder.service';
import { AuditExportController } from './api/audit-export.controller';
import { AuditQueryController } from './api/audit-query.controller';
import { AuditQueryService } from './api/audit-query.service';
import { AuditEntriesRepository } from './chain/audit-entries.repository';
import {
  AUDIT_CHECKPOINT_DIRECTORY,
  AUDIT_SIGNING_KEY,
  AUDIT_WRITER,
  AUDIT_WRITER_BUS,
} from './chain/audit.tokens';
import { ChainAppender } from './chain/chain-appender.service';
import { CheckpointService } from './chain/checkpoint.service';
import { CheckpointsRepository } from './chain/checkpoints.repository';
import { AUDIT_SETTINGS, auditSettings, type AuditEnv } from './config/audit-env';
import { loadSigningKey } from './config/signing-key.loader';
import { CheckpointDirectory } from './chain/checkpoint-directory';
import { assertAppendOnlyLogin } from './persistence/append-only-login';
import { AuditExportService } from './export/audit-export.service';
import { AuditIngestConsumer } from './ingest/audit-ingest.consumer';
import { ChainVerificationService } from './verify/chain-verification.service';

/** The append-only, hash-chained audit log: ingest from the bus, checkpoints, auditor API. */
@Module({})
export class AuditModule {
  static register(kit: DynamicModule, env: AuditEnv): DynamicModule {
    return {
      module: AuditModule,
      imports: [kit],
      controllers: [AuditIngestConsumer, AuditQueryController, AuditExportController],
      providers: [
        { provide: AUDIT_SETTINGS, useValue: auditSettings(env) },
        AuditMetrics,
        {
          provide: AUDIT_SIGNING_KEY,
          inject: [SERVICE_LOGGER],
          useFactory: (logger: Logger) =>
            loadSigningKey(env.AUDIT_SIGNING_KEY, env.AUDIT_DATA_DIR, logger, env.AUDIT_GENERATE_KEY),
        },
        {
          provide: AUDIT_CHECKPOINT_DIRECTORY,
          useFactory: () => CheckpointDirectory.open(env.AUDIT_CHECKPOINT_DIR),
        },
        {
          // DATABASE_URL is the runtime login (a member of conveyor_audit_writer): the service
          // refuses to start as one that could change or remove the chain (owner, superuser, …).
          provide: AUDIT_WRITER,
          inject: [DataSource],
          useFactory: async (dataSource: DataSource) => {
            await assertAppendOnlyLogin(dataSource);
            return dataSource;
          },
        },
        {
          provide: AUDIT_WRITER_BUS,
          inject: [AUDIT_WRITER, OutboxRelay],
          useFactory: (writer: DataSource, relay: OutboxRelay) =>
            new TransactionalBus(writer, 'audit', 'audit', relay),
        },
        AuditEntriesRepository,
        CheckpointsRepository,
        AuditAccessRecorder,
        { provide: API_ACCESS_REFUSALS, useExisting: AuditAccessRecorder },
        ChainAppender,
        CheckpointService,
        AuditExportService,
        ChainVerificationService,
        AuditQueryService,
      ],
    };
  }
}
