import { z } from 'zod';
import { defineEvent } from '../define-event';
import { artifactRef, identifier, nonEmpty, uuid, version } from '../common';
import { environmentSpecSchema } from '../manifest/service-manifest.schema';
import { deploymentProofSchema } from './deployment-proof';

export const deploymentRequestedEvent = defineEvent({
  name: 'deployment.requested',
  version: 1,
  description: 'A promotion met its rule: roll this artifact out to this environment.',
  producer: 'pipeline',
  schema: z.object({
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    version,
    artifact: artifactRef,
    manifestVersion: z.number().int().min(1),
    /** The environment's section of the manifest, as it was when the deployment was requested. */
    environmentSpec: environmentSpecSchema,
    promotionId: uuid.optional(),
    requestedBy: nonEmpty,
    approvedBy: z.array(nonEmpty).default([]),
    /**
     * Why this deployment may run: promotion, plan hash, artifact sha256, the frozen approval policy
     * and the approvals. The orchestrator recomputes and checks it, and starts nothing without it.
     */
    proof: deploymentProofSchema,
  }),
});
export type DeploymentRequested = z.infer<typeof deploymentRequestedEvent.schema>;
