import { HttpException, Injectable } from '@nestjs/common';
import { TransactionalBus } from '@conveyor/messaging';
import { messageOf } from '../http/api-errors';
import { emitApiAction } from './api-action';
import type { ApiAction } from './caller.decorator';

/** Records a call the service refused for a business reason (409, 422, separation of duties), then gives back the error to throw. */
@Injectable()
export class ActionAuditService {
  constructor(private readonly bus: TransactionalBus) {}

  async refused(action: ApiAction, error: HttpException, subject?: string): Promise<HttpException> {
    const message = messageOf(error);
    await this.bus.transaction(async (unit) =>
      emitApiAction(unit, action, error.getStatus(), `refused: ${message}`, subject),
    );
    return error;
  }
}
