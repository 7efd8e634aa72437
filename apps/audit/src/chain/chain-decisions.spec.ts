import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@conveyor/messaging';
import type { NewAuditEntry } from '@conveyor/audit-chain';
import { planBatch, takeBatch } from './batch-plan';
import { checkpointDue } from './checkpoint-policy';
import { envelopeToEntry, unknownTypeEventToEntry } from './envelope-entry.mapper';
import { buildEntryPageQuery } from './entry-query.builder';

function entry(eventId: string): NewAuditEntry {
  return {
    eventId,
    type: 't.x',
    subject: null,
    correlationId: null,
    actor: 'a',
    time: '2025-03-01T00:00:00Z',
    payload: null,
  };
}

describe('batch planning', () => {
  it('keeps arrival order and drops ids already chained or repeated in the batch', () => {
    const plan = planBatch([entry('a'), entry('b'), entry('a'), entry('c'), entry('d')], new Set(['c']));
    expect(plan.fresh.map((e) => e.eventId)).toEqual(['a', 'b', 'd']);
    expect(plan.skipped).toBe(2);
  });

  it('takes at most maxBatch from the front of the queue', () => {
    const queue = [1, 2, 3, 4, 5];
    expect(takeBatch(queue, 2)).toEqual([1, 2]);
    expect(queue).toEqual([3, 4, 5]);
  });
});

describe('checkpoint policy', () => {
  const policy = { every: 100, intervalMs: 1_000 };
  it('signs after N entries or T milliseconds, and never with nothing new', () => {
    expect(checkpointDue({ entriesSince: 100, msSinceLast: 0 }, policy)).toBe(true);
    expect(checkpointDue({ entriesSince: 1, msSinceLast: 1_000 }, policy)).toBe(true);
    expect(checkpointDue({ entriesSince: 99, msSinceLast: 999 }, policy)).toBe(false);
    expect(checkpointDue({ entriesSince: 0, msSinceLast: 10_000_000 }, policy)).toBe(false);
  });
});

describe('an event as an entry', () => {
  it('records id, type, subject, correlation, actor and time, with data, source and causation as payload', () => {
    const envelope = createEnvelope(
      'pipeline',
      'deployment.paused',
      { deploymentId: randomUUID() },
      { subject: 'd-1', actor: 'user:alice' },
    );
    const mapped = envelopeToEntry({ ...envelope, id: envelope.id.toUpperCase() });
    expect(mapped).toEqual({
      ok: true,
      entry: {
        eventId: envelope.id,
        type: 'deployment.paused',
        subject: 'd-1',
        correlationId: envelope.correlationid,
        actor: 'user:alice',
        time: envelope.time,
        payload: { causationId: null, data: envelope.data, source: 'pipeline' },
      },
    });
  });

  it('maps an empty subject to null and refuses what the chain cannot hold', () => {
    const envelope = createEnvelope('pipeline', 'deployment.paused', { deploymentId: randomUUID() });
    expect(envelopeToEntry({ ...envelope, subject: '' })).toMatchObject({
      ok: true,
      entry: { subject: null },
    });
    expect(envelopeToEntry({ ...envelope, actor: 'x\u0000y' })).toEqual({
      ok: false,
      reason: 'actor contains U+0000, which the audit store cannot hold',
    });
    expect(envelopeToEntry({ ...envelope, subject: 'lone \ud800' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('subject'),
    });
  });
});

describe('what a newer producer sent', () => {
  it('keeps the message as received beside the parsed view, inside the hashed payload', () => {
    const envelope = createEnvelope('pipeline', 'deployment.paused', { deploymentId: randomUUID() });
    const received = JSON.stringify({ ...envelope, data: { ...envelope.data, addedInNPlus1: 'x' } });
    expect(envelopeToEntry(envelope, received)).toMatchObject({
      ok: true,
      entry: { payload: { data: envelope.data, receivedEnvelope: received } },
    });
    // The audit's own events (not received from the bus) carry no received copy.
    const own = envelopeToEntry(envelope);
    expect(own.ok && own.entry.payload).not.toHaveProperty('receivedEnvelope');
  });

  it('records an event of an unknown type as itself, with its data as received and its publisher', () => {
    const base = createEnvelope('orchestrator', 'deployment.paused', { deploymentId: randomUUID() });
    const envelope = { ...base, type: 'deployment.note.added', data: { note: 'n', extra: [1, 2] } };
    const mapped = unknownTypeEventToEntry({
      envelope,
      userId: 'conveyor-orchestrator',
      receivedEnvelope: JSON.stringify(envelope),
    });
    expect(mapped).toEqual({
      ok: true,
      entry: {
        eventId: envelope.id.toLowerCase(),
        type: 'deployment.note.added',
        subject: null,
        correlationId: envelope.correlationid,
        actor: envelope.actor,
        time: envelope.time,
        payload: {
          causationId: null,
          data: { note: 'n', extra: [1, 2] },
          source: 'orchestrator',
          unknownType: true,
          publishedBy: 'conveyor-orchestrator',
          receivedEnvelope: JSON.stringify(envelope),
        },
      },
    });
    expect(
      unknownTypeEventToEntry({
        envelope: { ...envelope, type: 'a\u0000b' },
        userId: 'u',
        receivedEnvelope: '{}',
      }),
    ).toEqual({ ok: false, reason: 'type contains U+0000, which the audit store cannot hold' });
    expect(
      unknownTypeEventToEntry({
        envelope: { ...envelope, data: { lone: '\ud800' } },
        userId: 'u',
        receivedEnvelope: '{}',
      }),
    ).toMatchObject({ ok: false, reason: expect.stringContaining('surrogate') });
  });
});

describe('the page query', () => {
  it('binds every filter as a parameter and keeps seq order and bounds', () => {
    const query = buildEntryPageQuery({
      filters: {
        fromSeq: 10,
        toSeq: 90,
        fromTime: '2025-01-01T00:00:00Z',
        types: ['a'],
        subject: "x'; DROP",
        relatedTo: 'd-1',
      },
      afterSeq: 20,
      upToSeq: 50,
      limit: 100,
    });
    expect(query.text).toBe(
      'SELECT seq, event_id, type, subject, correlation_id, actor, time, payload, prev_hash, hash FROM audit.entries ' +
        'WHERE seq > $1 AND seq <= $2 AND occurred_at >= $3::timestamptz AND type = ANY($4::text[]) AND subject = $5 ' +
        'AND (subject = $6 OR correlation_id = $6) ORDER BY seq LIMIT $7',
    );
    expect(query.params).toEqual([20, 50, '2025-01-01T00:00:00Z', ['a'], "x'; DROP", 'd-1', 100]);
    expect(buildEntryPageQuery({ filters: { fromSeq: 10 }, afterSeq: 0, limit: 5 }).params).toEqual([9, 5]);
  });
});
