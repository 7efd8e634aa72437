import { errorMessage } from '@conveyor/errors';
export class UnroutableEventError extends Error {
  override readonly name = 'UnroutableEventError';
  constructor(readonly type: string) {
    super(`event ${type} was returned by RabbitMQ: no queue is bound to it`);
  }
}

export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';
  constructor(
    readonly type: string,
    cause: unknown,
  ) {
    super(`event ${type} was not confirmed by RabbitMQ: ${errorMessage(cause)}`);
  }
}
