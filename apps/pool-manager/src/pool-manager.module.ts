import { Module, type DynamicModule } from '@nestjs/common';
import { POOL_MANAGER_SETTINGS, type PoolManagerSettings } from './config/pool-manager-env';
import { HaproxyFleet } from './haproxy/haproxy-fleet.service';
import { PoolsController } from './http/pools.controller';
import { PoolsViewService } from './http/pools-view.service';
import { PoolManagerMetrics } from './metrics/pool-manager-metrics';
import { DrainOperationService } from './operations/drain-operation.service';
import { EnableOperationService } from './operations/enable-operation.service';
import { OperationWorker } from './operations/operation-worker.service';
import { PoolChangeService } from './operations/pool-change.service';
import { PoolRequestService } from './operations/pool-request.service';
import { PoolRequestsConsumer } from './operations/pool-requests.consumer';
import { PoolOperationRepository } from './persistence/pool-operation.repository';
import { PoolStateLock } from './persistence/pool-state-lock';
import { ServerIntentRepository } from './persistence/server-intent.repository';

import { ReconcilerService } from './reconciler/reconciler.service';

/** HAProxy pools: drain, maintenance, enable, capacity floor, drift reconciliation. */
@Module({})
export class PoolManagerModule {
  static register(kit: DynamicModule, settings: PoolManagerSettings): DynamicModule {
    return {
      module: PoolManagerModule,
      imports: [kit],
      controllers: [PoolRequestsConsumer, PoolsController],
      providers: [
        { provide: POOL_MANAGER_SETTINGS, useValue: settings },
        HaproxyFleet,
        PoolStateLock,
        PoolManagerMetrics,
        ServerIntentRepository,
        PoolOperationRepository,
        PoolChangeService,
        DrainOperationService,
        EnableOperationService,
        PoolRequestService,
        OperationWorker,
        ReconcilerService,
        PoolsViewService,
      ],
    };
  }
}
