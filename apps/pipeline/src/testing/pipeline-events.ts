import type { EventType } from '@conveyor/contracts';

/** Every event the pipeline emits: what a stand-in orchestrator records in the pipeline's tests. */
export const PIPELINE_EVENTS = [
  'deployment.requested',
  'deployment.pause.requested',
  'deployment.abort.requested',
  'deployment.host.exclude.requested',
  'promotion.requested',
  'promotion.approved',
  'promotion.approvals.voided',
  'api.action.performed',
  'api.access.denied',
  'service.manifest.applied',
  'pipeline.run.created',
  'pipeline.stage.reported',
  'artifact.published',
] as const satisfies readonly EventType[];
