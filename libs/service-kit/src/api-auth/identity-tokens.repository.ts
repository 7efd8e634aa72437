import type { EntityManager } from 'typeorm';
import type { AnnouncedToken } from '@conveyor/contracts';
import type { KnownToken } from './api-access.policy';
import { apiIdentitiesTable } from './identity-tables.migration';

interface IdentityRow {
  token_id: string;
  name: string;
  role: string;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** The only place that touches the service's `api_identities` table. */
export class IdentityTokensRepository {
  private readonly table: string;

  constructor(schema: string) {
    this.table = apiIdentitiesTable(schema);
  }

  async findByHash(manager: EntityManager, tokenHash: string): Promise<KnownToken | null> {
    const rows: IdentityRow[] = await manager.query(
      `SELECT token_id, name, role, expires_at, revoked_at FROM ${this.table} WHERE token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      tokenId: row.token_id,
      name: row.name,
      role: row.role,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    };
  }

  /**
   * Adds or refreshes a token. A revocation is final: a late or repeated announcement never
   * brings a revoked token back.
   */
  async upsert(manager: EntityManager, token: AnnouncedToken & { revokedAt?: string | null }): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.table} AS known (token_id, token_hash, name, role, issued_at, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (token_id) DO UPDATE SET
         token_hash = COALESCE(known.token_hash, EXCLUDED.token_hash),
         name = EXCLUDED.name,
         role = EXCLUDED.role,
         issued_at = EXCLUDED.issued_at,
         expires_at = EXCLUDED.expires_at,
         revoked_at = LEAST(known.revoked_at, EXCLUDED.revoked_at),
         updated_at = now()`,
      [
        token.tokenId,
        token.tokenHash,
        token.name,
        token.role,
        token.issuedAt,
        token.expiresAt,
        token.revokedAt ?? null,
      ],
    );
  }

  /** Records a revocation, even before the token's issuance arrives (it then stays revoked). */
  async revoke(
    manager: EntityManager,
    revocation: { tokenId: string; name: string; role: string; revokedAt: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.table} AS known (token_id, name, role, revoked_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (token_id) DO UPDATE SET
         revoked_at = LEAST(known.revoked_at, EXCLUDED.revoked_at),
         updated_at = now()`,
      [revocation.tokenId, revocation.name, revocation.role, revocation.revokedAt],
    );
  }
}
