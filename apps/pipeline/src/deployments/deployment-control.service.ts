import { DataSource } from 'typeorm';
import { Injectable } from '@nestjs/common';
import type { EventInput } from '@conveyor/contracts';
import { TransactionalBus } from '@conveyor/messaging';
import { emitApiAction } from '../auth/api-action';
import type { ApiAction } from '../auth/caller.decorator';
import { conflict, notFound } from '../http/api-errors';
import { isTerminal, type DeploymentView } from './deployment-view';
import { DeploymentsRepository } from './deployments.repository';
import type { ListDeploymentsQuery } from './deployment.schemas';

export type ControlRequest =
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'retry' }
  | { kind: 'abort'; reason: string }
  | { kind: 'exclude-host'; serverId: string; reason: string };

/** Reads the deployments read model and forwards control requests to the orchestrator as events. */
@Injectable()
export class DeploymentControlService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: TransactionalBus,
    private readonly deployments: DeploymentsRepository,
  ) {}

  async get(id: string): Promise<DeploymentView> {
    const row = await this.deployments.find(this.dataSource.manager, id);
    if (!row) throw notFound(`no deployment ${id}`);
    return row.view;
  }

  async list(query: ListDeploymentsQuery): Promise<DeploymentView[]> {
    const filter = {
      ...(query.service ? { service: query.service } : {}),
      ...(query.environment ? { environment: query.environment } : {}),
    };
    return (await this.deployments.list(this.dataSource.manager, filter, query.limit)).map((row) => row.view);
  }

  /** 202: the request is on its way to the orchestrator; the deployment's events say what happened. */
  async control(
    id: string,
    request: ControlRequest,
    action: ApiAction,
  ): Promise<{ deploymentId: string; requested: string; status: string }> {
    return this.bus.transaction(async (unit) => {
      const row = await this.deployments.find(unit.manager, id);
      if (!row) throw notFound(`no deployment ${id}`);
      if (isTerminal(row.status))
        throw conflict(
          `deployment ${id} already ${row.status.replace('_', ' ')}; there is nothing to ${request.kind}`,
        );
      const options = { actor: action.caller.name, subject: id, correlationId: id };
      const type = emitControl(unit.emit.bind(unit), id, request, options);
      emitApiAction(
        unit,
        action,
        202,
        `${request.kind} requested for deployment ${id} (${row.service ?? '?'} to ${row.environment ?? '?'})`,
        id,
      );
      return { deploymentId: id, requested: type, status: row.status };
    });
  }
}

type Emit = <
  T extends
    | 'deployment.pause.requested'
    | 'deployment.resume.requested'
    | 'deployment.retry.requested'
    | 'deployment.abort.requested'
    | 'deployment.host.exclude.requested',
>(
  type: T,
  data: EventInput[T],
  options: { actor: string; subject: string; correlationId: string },
) => unknown;

function emitControl(
  emit: Emit,
  deploymentId: string,
  request: ControlRequest,
  options: { actor: string; subject: string; correlationId: string },
): string {
  switch (request.kind) {
    case 'pause':
      emit('deployment.pause.requested', { deploymentId }, options);
      return 'deployment.pause.requested';
    case 'resume':
      emit('deployment.resume.requested', { deploymentId }, options);
      return 'deployment.resume.requested';
    case 'retry':
      emit('deployment.retry.requested', { deploymentId }, options);
      return 'deployment.retry.requested';
    case 'abort':
      emit('deployment.abort.requested', { deploymentId, reason: request.reason }, options);
      return 'deployment.abort.requested';
    case 'exclude-host':
      emit(
        'deployment.host.exclude.requested',
        { deploymentId, serverId: request.serverId, reason: request.reason },
        options,
      );
      return 'deployment.host.exclude.requested';
  }
}
