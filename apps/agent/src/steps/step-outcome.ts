import type { StepKind, StepRecord } from '../journal/step-journal.rules';
import type { StepContext } from './step-context';

/** Publishes the outcome recorded in a finished step record: `agent.<kind>.succeeded` or `.failed`. */
export async function emitOutcome(
  context: StepContext,
  record: StepRecord,
  replayed: boolean,
): Promise<void> {
  const base = {
    commandId: record.commandId,
    deploymentId: record.deploymentId,
    stepId: record.stepId,
    nodeId: context.nodeId,
    ...(record.version === undefined ? {} : { version: record.version }),
  };
  const subject = { subject: record.deploymentId };
  const durationMs = record.durationMs ?? 0;
  if (record.status === 'succeeded') {
    const data = { ...base, durationMs, replayed };
    const kind: StepKind = record.kind;
    switch (kind) {
      case 'deploy':
        return context.emit('agent.deploy.succeeded', data, subject);
      case 'rollback':
        return context.emit(
          'agent.rollback.succeeded',
          {
            ...data,
            ...(record.unchanged === undefined
              ? {}
              : { unchanged: true, detail: record.unchanged.detail.slice(0, 2000) }),
          },
          subject,
        );
      case 'migrate':
        return context.emit('agent.migrate.succeeded', data, subject);
    }
  }
  const failure = record.failure ?? {
    phase: 'interrupted' as const,
    reason: `step ${record.stepId} has no recorded outcome`,
  };
  const data = {
    ...base,
    phase: failure.phase,
    reason: failure.reason.slice(0, 4000),
    durationMs,
    ...(failure.hook === undefined ? {} : { hook: failure.hook }),
    ...(failure.exitCode === undefined ? {} : { exitCode: failure.exitCode }),
    ...(failure.outputTail === undefined ? {} : { outputTail: failure.outputTail.slice(-8000) }),
  };
  switch (record.kind) {
    case 'deploy':
      return context.emit('agent.deploy.failed', data, subject);
    case 'rollback':
      return context.emit('agent.rollback.failed', data, subject);
    case 'migrate':
      return context.emit('agent.migrate.failed', data, subject);
  }
}
