import { Controller, Get } from '@nestjs/common';
import { ANY_API_ROLE, ApiRoles } from '@conveyor/service-kit';
import { PoolsViewService, type PoolView } from './pools-view.service';

/** Read-only pool view for people and the CLI. */
@Controller('pools')
@ApiRoles(...ANY_API_ROLE)
export class PoolsController {
  constructor(private readonly view: PoolsViewService) {}

  @Get()
  async list(): Promise<{ pools: PoolView[] }> {
    return { pools: await this.view.pools() };
  }
}
