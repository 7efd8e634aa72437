import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quoteSchemaName } from '@conveyor/persistence';

export function outboxTable(schema: string): string {
  return `${quoteSchemaName(schema)}.outbox`;
}

export function inboxTable(schema: string): string {
  return `${quoteSchemaName(schema)}.inbox`;
}

/**
 * The outbox (events committed with the state change, published by the relay) and the inbox
 * (event ids a consumer has handled). Each service adds this migration to its own list.
 */
export function messagingTablesMigration(schema: string): new () => MigrationInterface {
  const outbox = outboxTable(schema);
  const inbox = inboxTable(schema);
  return class MessagingTables1732600000000 implements MigrationInterface {
    name = 'MessagingTables1732600000000';

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`CREATE TABLE ${outbox} (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        envelope text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text
      )`);
      await runner.query(`CREATE INDEX outbox_due ON ${outbox} (next_attempt_at, id)`);
      await runner.query(`CREATE TABLE ${inbox} (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${inbox}`);
      await runner.query(`DROP TABLE ${outbox}`);
    }
  };
}
