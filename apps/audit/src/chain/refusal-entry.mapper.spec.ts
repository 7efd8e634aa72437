import type { RefusedMessage } from '@conveyor/messaging';
import { REFUSED_BODY_KEPT_CHARS, refusalToEntry } from './refusal-entry.mapper';

const refused: RefusedMessage = {
  code: 'routing_key_mismatch',
  reason: 'routing key "agent.heartbeat" is not the envelope\'s type "deployment.requested"',
  routingKey: 'agent.heartbeat',
  userId: 'conveyor-agent-web-1',
  rawBody: '{"type":"deployment.requested","id":"11111111-1111-4111-8111-111111111111"}',
  messageId: 'm-1',
  type: 'deployment.requested',
};
const now = new Date('2026-01-02T03:04:05.000Z');

describe('refusalToEntry', () => {
  it('records the refusal, not the event the body claims to be', () => {
    const mapped = refusalToEntry(refused, now);
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.entry).toMatchObject({
      type: 'bus.message.refused',
      actor: 'broker-user:conveyor-agent-web-1',
      time: '2026-01-02T03:04:05.000Z',
      subject: null,
      correlationId: null,
      payload: {
        code: 'routing_key_mismatch',
        routingKey: 'agent.heartbeat',
        userId: 'conveyor-agent-web-1',
        claimedType: 'deployment.requested',
        rawBody: refused.rawBody,
        rawBodyTruncated: false,
      },
    });
    expect(mapped.entry.eventId).not.toBe('11111111-1111-4111-8111-111111111111');
    expect(mapped.entry.eventId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('gives a redelivery the same id and another message (or another user) a different one', () => {
    const id = (message: RefusedMessage) => {
      const mapped = refusalToEntry(message, now);
      if (!mapped.ok) throw new Error(mapped.reason);
      return mapped.entry.eventId;
    };
    expect(id(refused)).toBe(id({ ...refused }));
    expect(id(refused)).not.toBe(id({ ...refused, messageId: 'm-2' }));
    expect(id(refused)).not.toBe(id({ ...refused, userId: 'conveyor-agent-web-2' }));
  });

  it('keeps a message without user_id, a NUL in it, and truncates a huge body with its hash', () => {
    const mapped = refusalToEntry(
      { ...refused, userId: undefined, rawBody: `\u0000${'x'.repeat(REFUSED_BODY_KEPT_CHARS + 10)}` },
      now,
    );
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.entry.actor).toBe('broker-user:(none)');
    const payload = mapped.entry.payload as Record<string, unknown>;
    expect(payload['userId']).toBeNull();
    expect(payload['rawBodyTruncated']).toBe(true);
    expect((payload['rawBody'] as string).length).toBe(REFUSED_BODY_KEPT_CHARS);
    expect(payload['rawBodySha256']).toMatch(/^[0-9a-f]{64}$/);
  });
});
