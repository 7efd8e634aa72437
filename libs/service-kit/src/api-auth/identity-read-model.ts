import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@conveyor/contracts';
import type { IdentityTokensRepository } from './identity-tokens.repository';

export const IDENTITY_EVENT_TYPES = [
  'identity.token.issued',
  'identity.token.revoked',
  'identity.tokens.announced',
] as const;

export function isIdentityEvent(
  envelope: EventEnvelope,
): envelope is EventEnvelope<(typeof IDENTITY_EVENT_TYPES)[number]> {
  return (IDENTITY_EVENT_TYPES as readonly string[]).includes(envelope.type);
}

/** Applies one of the pipeline's identity events to the service's read model. Idempotent; order-tolerant. */
export async function applyIdentityEvent(
  manager: EntityManager,
  repository: IdentityTokensRepository,
  envelope: EventEnvelope<(typeof IDENTITY_EVENT_TYPES)[number]>,
): Promise<void> {
  switch (envelope.type) {
    case 'identity.token.issued': {
      await repository.upsert(manager, envelope.data);
      return;
    }
    case 'identity.token.revoked': {
      await repository.revoke(manager, envelope.data);
      return;
    }
    case 'identity.tokens.announced': {
      for (const token of envelope.data.tokens) await repository.upsert(manager, token);
      return;
    }
  }
}
