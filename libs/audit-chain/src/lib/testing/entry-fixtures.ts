import type { NewAuditEntry } from '../entry/audit-entry';

/** A deterministic UUID (v4 layout) for entry number n, so fixtures are reproducible. */
export function fixtureUuid(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** A plausible new audit entry; `overrides` replace fields. */
export function newEntry(n: number, overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    eventId: fixtureUuid(n),
    type: n % 3 === 0 ? 'deployment.batch.started' : 'pool.server.drained',
    subject: `deployment-${Math.floor(n / 10)}`,
    correlationId: n % 2 === 0 ? `corr-${n}` : null,
    actor: n % 5 === 0 ? 'jenkins-token:build-bot' : 'service:orchestrator',
    time: new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(),
    payload: {
      batch: n % 7,
      servers: [`web-${n % 11}`, `web-${(n + 1) % 11}`],
      note: 'drained, "gracefully"\nok',
    },
    ...overrides,
  };
}

export function newEntries(count: number, from = 1): NewAuditEntry[] {
  return Array.from({ length: count }, (_, index) => newEntry(from + index));
}

/** Yields n new entries lazily, so a large export never sits in memory. */
export function* lazyNewEntries(count: number): Generator<NewAuditEntry> {
  for (let n = 1; n <= count; n += 1) yield newEntry(n);
}
