import { Injectable } from '@nestjs/common';
import { counter, gauge, histogram } from '@conveyor/observability';
import { TERMINAL_STATUSES, type Decision, type DeploymentState } from '../domain/deployment-state.types';

const deploymentsTotal = counter({
  name: 'conveyor_deployments_total',
  help: 'Deployments that ended, by outcome (succeeded, failed, rolled_back, aborted) or were rejected.',
  labelNames: ['service', 'environment', 'outcome'] as const,
});
const deploymentDuration = histogram({
  name: 'conveyor_deployment_duration_seconds',
  help: 'Time from a deployment start to its end.',
  labelNames: ['service', 'environment', 'outcome'] as const,
  buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
});
const stepSeconds = histogram({
  name: 'conveyor_rollout_step_seconds',
  help: 'Time a rollout step took from issue to answer (or timeout).',
  labelNames: ['step'] as const,
  buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
});
const outOfService = gauge({
  name: 'conveyor_servers_out_of_service',
  help: 'Servers a rollout has taken out of the online pool and not yet put back.',
  labelNames: ['service', 'environment'] as const,
});

/**
 * The orchestrator's metrics. Recorded as a transition is decided, inside its transaction: a
 * transaction that then fails to commit is retried, so a count may rarely run ahead by one.
 */
@Injectable()
export class OrchestratorMetrics {
  recordTransition(before: DeploymentState | undefined, decision: Decision): void {
    const after = decision.state;
    const labels = { service: after.service, environment: after.environment };
    outOfService.set(labels, after.outOfService.length);
    for (const step of decision.finishedSteps) {
      stepSeconds.observe(
        { step: step.kind },
        Math.max(0, ((step.finishedAt ?? step.issuedAt) - step.issuedAt) / 1000),
      );
    }
    const ended =
      TERMINAL_STATUSES.includes(after.status) &&
      (before === undefined || !TERMINAL_STATUSES.includes(before.status));
    if (ended) {
      deploymentsTotal.inc({ ...labels, outcome: after.status });
      deploymentDuration.observe(
        { ...labels, outcome: after.status },
        Math.max(0, ((after.finishedAt ?? after.startedAt) - after.startedAt) / 1000),
      );
    }
  }

  recordRejected(service: string, environment: string): void {
    deploymentsTotal.inc({ service, environment, outcome: 'rejected' });
  }
}
