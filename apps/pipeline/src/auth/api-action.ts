import type { UnitOfWork } from '@conveyor/messaging';
import type { ApiAction } from './caller.decorator';

/** Records a mutating API call with its actor, in the transaction of its state change, for the audit log. */
export function emitApiAction(
  unit: UnitOfWork,
  action: ApiAction,
  status: number,
  summary: string,
  subject?: string,
): void {
  unit.emit(
    'api.action.performed',
    {
      method: action.method,
      path: action.path.slice(0, 2000),
      status,
      role: action.caller.role,
      summary: summary.slice(0, 2000),
    },
    { actor: action.caller.name, subject: subject ?? null },
  );
}
