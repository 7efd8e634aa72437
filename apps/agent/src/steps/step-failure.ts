import { errorMessage } from '@conveyor/errors';
import type { AgentDeployFailed } from '@conveyor/contracts';

export type AgentStepFailurePhase = AgentDeployFailed['phase'];

/** A step failed in a known way: the phase, and for a hook its name, exit code and output tail. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    readonly phase: AgentStepFailurePhase,
    reason: string,
    readonly details: { hook?: string; exitCode?: number | null; outputTail?: string } = {},
  ) {
    super(reason);
  }
}

/** Anything thrown by a step, as a StepFailure (unknown errors are blamed on the given phase). */
export function asStepFailure(error: unknown, phase: AgentStepFailurePhase): StepFailure {
  if (error instanceof StepFailure) return error;
  return new StepFailure(phase, errorMessage(error));
}
