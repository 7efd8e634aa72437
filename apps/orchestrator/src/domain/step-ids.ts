import { createHash } from 'node:crypto';
import type { StepKind } from './deployment-state.types';

/**
 * A step id: the deployment id, the step's sequence number in that deployment (strictly
 * increasing, never reused), its kind, batch and server. Dots only, so it is a safe file name on
 * every agent (agents journal each step under its id).
 */
export function stepIdFor(
  deploymentId: string,
  sequence: number,
  kind: StepKind,
  batchIndex: number | null,
  server?: string,
): string {
  const batch = batchIndex === null ? 'all' : `b${batchIndex}`;
  return [deploymentId, `s${sequence}`, kind, batch, ...(server === undefined ? [] : [server])].join('.');
}

/**
 * The uuid of a step's request (pool operationId, verificationId, bakeId), derived from its step id
 * (name-based, like a version 5 uuid): sending the same step again always carries the same id,
 * so participants recognise it, and the function stays pure.
 */
export function requestIdFor(stepId: string): string {
  const hex = createHash('sha1').update(`conveyor-orchestrator:${stepId}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
