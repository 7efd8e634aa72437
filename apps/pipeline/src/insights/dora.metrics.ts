import { gauge } from '@conveyor/observability';

export const doraDeploymentFrequency = gauge({
  name: 'conveyor_dora_deployment_frequency_per_day',
  help: 'Successful production deployments per day over the last 30 days, per service.',
  labelNames: ['service'] as const,
});
export const doraLeadTime = gauge({
  name: 'conveyor_dora_lead_time_seconds',
  help: 'Median seconds from commit to a successful production deployment over the last 30 days, per service.',
  labelNames: ['service'] as const,
});
export const doraChangeFailureRate = gauge({
  name: 'conveyor_dora_change_failure_rate',
  help: 'Share of production deployments over the last 30 days that failed or were rolled back, per service.',
  labelNames: ['service'] as const,
});
export const doraTimeToRestore = gauge({
  name: 'conveyor_dora_time_to_restore_seconds',
  help: 'Median seconds from a failed production deployment to the next successful one over the last 30 days, per service.',
  labelNames: ['service'] as const,
});
