import type { PoolOperationFailed } from '@conveyor/contracts';

export type FailureReason = PoolOperationFailed['reason'];

/** Why an operation was refused or failed: becomes `pool.operation.failed`. */
export class OperationFailure extends Error {
  override readonly name = 'OperationFailure';
  constructor(
    readonly reason: FailureReason,
    readonly detail: string,
    readonly instance?: string,
  ) {
    super(detail);
  }
}

/** Refusals change nothing; failures were attempted and put back. */
export function outcomeOf(reason: FailureReason): 'refused' | 'failed' {
  switch (reason) {
    case 'capacity_floor':
    case 'unknown_pool':
    case 'unknown_server':
    case 'invalid_request':
      return 'refused';
    case 'timeout':
    case 'instance_unreachable':
    case 'haproxy_error':
      return 'failed';
  }
}
