import { Inject, Injectable } from '@nestjs/common';
import { newCommand, signCommand } from '@conveyor/command-signing';
import type { EventInput } from '@conveyor/contracts';
import type { AgentCommandIntent } from '../domain/deployment-state.types';
import { ORCHESTRATOR_SETTINGS, type OrchestratorSettings } from '../config/orchestrator-env';

export type SignedAgentCommand =
  | { type: 'agent.deploy.requested'; data: EventInput['agent.deploy.requested'] }
  | { type: 'agent.rollback.requested'; data: EventInput['agent.rollback.requested'] }
  | { type: 'agent.migrate.requested'; data: EventInput['agent.migrate.requested'] };

/** Signs every agent command with the orchestrator's Ed25519 key, addressed to one node. */
@Injectable()
export class CommandSigner {
  constructor(@Inject(ORCHESTRATOR_SETTINGS) private readonly settings: OrchestratorSettings) {}

  sign(intent: AgentCommandIntent, now: Date = new Date()): SignedAgentCommand {
    const { privateKey, keyId } = this.settings.signingKey;
    const target = { nodeIds: [intent.nodeId] };
    switch (intent.kind) {
      case 'deploy':
        return {
          type: 'agent.deploy.requested',
          data: signCommand(
            newCommand({
              kind: 'deploy',
              target,
              payload: intent.payload,
              now,
              lifetimeMs: intent.lifetimeMs,
            }),
            privateKey,
            keyId,
          ),
        };
      case 'rollback':
        return {
          type: 'agent.rollback.requested',
          data: signCommand(
            newCommand({
              kind: 'rollback',
              target,
              payload: intent.payload,
              now,
              lifetimeMs: intent.lifetimeMs,
            }),
            privateKey,
            keyId,
          ),
        };
      case 'migrate':
        return {
          type: 'agent.migrate.requested',
          data: signCommand(
            newCommand({
              kind: 'migrate',
              target,
              payload: intent.payload,
              now,
              lifetimeMs: intent.lifetimeMs,
            }),
            privateKey,
            keyId,
          ),
        };
    }
  }
}
