import type { z } from 'zod';
import type { EventContract } from './define-event';
import { deadLetterReplayRequestedEvent } from './messaging';
import {
  deploymentRequestedEvent,
  deploymentRejectedEvent,
  deploymentStartedEvent,
  deploymentBatchStartedEvent,
  deploymentServerProgressedEvent,
  deploymentBatchCompletedEvent,
  deploymentSucceededEvent,
  deploymentFailedEvent,
  deploymentRolledBackEvent,
  deploymentAbortedEvent,
  deploymentPausedEvent,
  deploymentResumedEvent,
  deploymentPauseRequestedEvent,
  deploymentResumeRequestedEvent,
  deploymentAbortRequestedEvent,
  deploymentRetryRequestedEvent,
  deploymentHostExcludeRequestedEvent,
} from './deployment';
import {
  poolDrainRequestedEvent,
  poolServerDrainedEvent,
  poolEnableRequestedEvent,
  poolServerEnabledEvent,
  poolOperationFailedEvent,
  poolDriftDetectedEvent,
  poolDriftCorrectedEvent,
} from './pool';
import {
  agentRegisteredEvent,
  agentHeartbeatEvent,
  agentDeployRequestedEvent,
  agentDeployStartedEvent,
  agentDeployProgressedEvent,
  agentDeploySucceededEvent,
  agentDeployFailedEvent,
  agentRollbackRequestedEvent,
  agentRollbackSucceededEvent,
  agentRollbackFailedEvent,
  agentMigrateRequestedEvent,
  agentMigrateSucceededEvent,
  agentMigrateFailedEvent,
  agentCommandRejectedEvent,
  agentDiscoveryRequestedEvent,
  agentDiscoveryRepliedEvent,
  agentStateRequestedEvent,
  agentStateReportedEvent,
} from './agent';
import {
  verificationRequestedEvent,
  verificationStartedEvent,
  verificationPassedEvent,
  verificationFailedEvent,
  healthDegradedEvent,
  verificationBakeRequestedEvent,
  verificationBakeCompletedEvent,
} from './verification';
import {
  serviceManifestAppliedEvent,
  pipelineRunCreatedEvent,
  pipelineStageReportedEvent,
  artifactPublishedEvent,
  promotionRequestedEvent,
  promotionApprovedEvent,
  promotionApprovalsVoidedEvent,
  apiActionPerformedEvent,
} from './pipeline';
import { auditAccessRecordedEvent, auditCheckpointCreatedEvent, auditVerificationFailedEvent } from './audit';
import { deploymentControlRefusedEvent } from './deployment';
import {
  identityTokenIssuedEvent,
  identityTokenRevokedEvent,
  identityTokensAnnouncedEvent,
} from './identity';

/** Every event on the bus. Adding an event: write its file, then list it here. */
export const eventContracts = [
  deploymentRequestedEvent,
  deploymentRejectedEvent,
  deploymentStartedEvent,
  deploymentBatchStartedEvent,
  deploymentServerProgressedEvent,
  deploymentBatchCompletedEvent,
  deploymentSucceededEvent,
  deploymentFailedEvent,
  deploymentRolledBackEvent,
  deploymentAbortedEvent,
  deploymentPausedEvent,
  deploymentResumedEvent,
  deploymentPauseRequestedEvent,
  deploymentResumeRequestedEvent,
  deploymentAbortRequestedEvent,
  deploymentRetryRequestedEvent,
  deploymentHostExcludeRequestedEvent,
  poolDrainRequestedEvent,
  poolServerDrainedEvent,
  poolEnableRequestedEvent,
  poolServerEnabledEvent,
  poolOperationFailedEvent,
  poolDriftDetectedEvent,
  poolDriftCorrectedEvent,
  agentRegisteredEvent,
  agentHeartbeatEvent,
  agentDeployRequestedEvent,
  agentDeployStartedEvent,
  agentDeployProgressedEvent,
  agentDeploySucceededEvent,
  agentDeployFailedEvent,
  agentRollbackRequestedEvent,
  agentRollbackSucceededEvent,
  agentRollbackFailedEvent,
  agentMigrateRequestedEvent,
  agentMigrateSucceededEvent,
  agentMigrateFailedEvent,
  agentCommandRejectedEvent,
  agentDiscoveryRequestedEvent,
  agentDiscoveryRepliedEvent,
  agentStateRequestedEvent,
  agentStateReportedEvent,
  verificationRequestedEvent,
  verificationStartedEvent,
  verificationPassedEvent,
  verificationFailedEvent,
  healthDegradedEvent,
  verificationBakeRequestedEvent,
  verificationBakeCompletedEvent,
  serviceManifestAppliedEvent,
  pipelineRunCreatedEvent,
  pipelineStageReportedEvent,
  artifactPublishedEvent,
  promotionRequestedEvent,
  promotionApprovedEvent,
  promotionApprovalsVoidedEvent,
  apiActionPerformedEvent,
  auditCheckpointCreatedEvent,
  auditVerificationFailedEvent,
  auditAccessRecordedEvent,
  deploymentControlRefusedEvent,
  identityTokenIssuedEvent,
  identityTokenRevokedEvent,
  identityTokensAnnouncedEvent,
  deadLetterReplayRequestedEvent,
] as const;

type AnyContract = (typeof eventContracts)[number];

/** Event type → payload: `publish('deployment.startd', …)` or a wrong payload fails to compile. */
export type EventMap = { [C in AnyContract as C['type']]: z.infer<C['schema']> };
export type EventType = keyof EventMap;
/** What a publisher passes: fields with defaults may be left out. */
export type EventInput = { [C in AnyContract as C['type']]: z.input<C['schema']> };

export const contractsByType: ReadonlyMap<string, EventContract> = new Map(
  eventContracts.map((c) => [c.type, c as EventContract]),
);

export function isEventType(type: string): type is EventType {
  return contractsByType.has(type);
}
