import { createHash } from 'node:crypto';
import { parseNewAuditEntry, type NewAuditEntry } from '@conveyor/audit-chain';
import type { RefusedMessage } from '@conveyor/messaging';
import type { EntryMapping } from './envelope-entry.mapper';

/** The chain's type for a message the bus refused (never a contract's type: it has no producer). */
export const REFUSED_MESSAGE_ENTRY_TYPE = 'bus.message.refused';

/** Bodies longer than this are kept truncated; their SHA-256 covers the whole body. */
export const REFUSED_BODY_KEPT_CHARS = 65_536;

/**
 * What the chain records of a refused message: not the event it claims to be, but the refusal —
 * the raw body (truncated past 64 KiB, with the SHA-256 of the whole), the routing key, the
 * broker user that published it and why it was refused. Its entry id is derived from those
 * facts, so a redelivery of the same message adds nothing while a second attempt does; it is
 * never the id the body claims (which may be a real event's).
 */
export function refusalToEntry(refused: RefusedMessage, now: Date): EntryMapping {
  const bodySha256 = createHash('sha256').update(refused.rawBody, 'utf8').digest('hex');
  const eventId = uuidFrom(
    ['refused', refused.routingKey, refused.userId ?? '', refused.messageId ?? '', bodySha256].join('\u0000'),
  );
  const entry: NewAuditEntry = {
    eventId,
    type: REFUSED_MESSAGE_ENTRY_TYPE,
    subject: null,
    correlationId: null,
    // Text columns cannot hold U+0000; the payload (JSON) keeps the exact value.
    actor: `broker-user:${(refused.userId ?? '(none)').replaceAll('\u0000', '\uFFFD')}`,
    time: now.toISOString(),
    payload: {
      code: refused.code,
      reason: refused.reason,
      routingKey: refused.routingKey,
      userId: refused.userId ?? null,
      messageId: refused.messageId ?? null,
      claimedType: refused.type,
      rawBody: refused.rawBody.slice(0, REFUSED_BODY_KEPT_CHARS),
      rawBodyTruncated: refused.rawBody.length > REFUSED_BODY_KEPT_CHARS,
      rawBodySha256: bodySha256,
    },
  };
  const checked = parseNewAuditEntry(entry);
  return checked.ok ? { ok: true, entry: checked.entry } : { ok: false, reason: checked.message };
}

/** A UUID (version 8 layout: custom) from the SHA-256 of `text`. */
function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
