import { MAX_TOKENS_PER_ANNOUNCEMENT, identityTokensAnnouncedEvent } from '@conveyor/contracts';
import { hashApiToken } from './api-token.codec';
import { announcementParts, issuedEvent, type StoredToken } from './identity-events';

const token = (n: number, revoked = false): StoredToken => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name: `person-${n}@example.com`,
  role: 'auditor',
  tokenHash: hashApiToken(`cvy_secret-${n}`),
  createdBy: 'admin:bootstrap',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  revokedAt: revoked ? new Date('2026-01-02T00:00:00Z') : null,
});

describe('identity events of the pipeline', () => {
  it('carry the sha256 of the secret, never the secret', () => {
    const event = issuedEvent(token(1));
    expect(event).toEqual({
      tokenId: token(1).id,
      tokenHash: hashApiToken('cvy_secret-1'),
      name: 'person-1@example.com',
      role: 'auditor',
      issuedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: null,
      issuedBy: 'admin:bootstrap',
    });
    expect(JSON.stringify(event)).not.toContain('cvy_secret');
  });

  it('announce every token, revoked ones with their revocation, in bounded parts', () => {
    const tokens = Array.from({ length: MAX_TOKENS_PER_ANNOUNCEMENT + 1 }, (_, n) => token(n, n === 0));
    const parts = announcementParts(tokens, new Date('2026-02-01T00:00:00Z'));
    expect(parts.map((p) => [p.part, p.parts, p.tokens.length])).toEqual([
      [1, 2, MAX_TOKENS_PER_ANNOUNCEMENT],
      [2, 2, 1],
    ]);
    expect(parts[0]?.tokens[0]?.revokedAt).toBe('2026-01-02T00:00:00.000Z');
    expect(parts[0]?.tokens[1]?.revokedAt).toBeNull();
    for (const part of parts) expect(identityTokensAnnouncedEvent.schema.safeParse(part).success).toBe(true);
    expect(announcementParts([], new Date())).toEqual([]);
  });
});
