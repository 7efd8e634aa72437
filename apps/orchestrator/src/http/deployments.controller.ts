import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ANY_API_ROLE, ApiRoles, validParam } from '@conveyor/service-kit';
import { z } from 'zod';
import { DeploymentRepository } from '../persistence/deployment.repository';
import { deploymentView, type DeploymentView } from './deployment-view';

const deploymentId = z.uuid({ error: 'is not a deployment id (a uuid)' });

/** Read-only: a deployment's state with its batches and each server's steps. Any person with a token may read. */
@Controller('deployments')
@ApiRoles(...ANY_API_ROLE)
export class DeploymentsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deployments: DeploymentRepository,
  ) {}

  @Get(':id')
  async get(@Param('id', validParam('id', deploymentId)) id: string): Promise<DeploymentView> {
    const row = await this.deployments.find(this.dataSource.manager, id);
    if (!row) throw new NotFoundException(`no deployment ${id}`);
    return deploymentView(row.state);
  }
}
