import type { DataSource, EntityManager } from 'typeorm';
import type { EventEnvelope } from '@conveyor/contracts';
import { inboxTable, outboxTable } from './messaging-tables';

export interface OutboxRow {
  id: string;
  event_id: string;
  type: string;
  envelope: string;
  attempts: number;
}

/** The only place that touches the outbox and inbox tables. */
export class OutboxRepository {
  private readonly outbox: string;
  private readonly inbox: string;

  constructor(schema: string) {
    this.outbox = outboxTable(schema);
    this.inbox = inboxTable(schema);
  }

  /** Adds events to the outbox inside the caller's transaction. */
  async add(manager: EntityManager, envelopes: readonly EventEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    const values: string[] = [];
    const params: string[] = [];
    envelopes.forEach((envelope, i) => {
      values.push(`($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`);
      params.push(envelope.id, envelope.type, JSON.stringify(envelope));
    });
    await manager.query(
      `INSERT INTO ${this.outbox} (event_id, type, envelope) VALUES ${values.join(', ')}`,
      params,
    );
  }

  /** Locks due rows so that several relays never publish the same row at once. */
  async claimDue(manager: EntityManager, limit: number): Promise<OutboxRow[]> {
    return manager.query(
      `SELECT id, event_id, type, envelope, attempts FROM ${this.outbox}
       WHERE next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async remove(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length > 0) await manager.query(`DELETE FROM ${this.outbox} WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async postpone(manager: EntityManager, id: string, error: string, delayMs: number): Promise<void> {
    await manager.query(
      `UPDATE ${this.outbox} SET attempts = attempts + 1, last_error = $2,
         next_attempt_at = now() + ($3::int * interval '1 millisecond') WHERE id = $1`,
      [id, error.slice(0, 2000), delayMs],
    );
  }

  async backlog(dataSource: DataSource): Promise<number> {
    const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM ${this.outbox}`)) as {
      n: number;
    }[];
    return row?.n ?? 0;
  }

  /** Records that `consumer` handles `eventId`; false if it already did (a redelivery). */
  async claimInbox(manager: EntityManager, consumer: string, eventId: string): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO ${this.inbox} (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, eventId],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Records several event ids at once; returns those not handled before (redeliveries are left out). */
  async claimInboxMany(manager: EntityManager, consumer: string, eventIds: string[]): Promise<Set<string>> {
    const rows = (await manager.query(
      `INSERT INTO ${this.inbox} (consumer, event_id) SELECT $1, unnest($2::uuid[])
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, eventIds],
    )) as { event_id: string }[];
    return new Set(rows.map((row) => row.event_id));
  }
}
