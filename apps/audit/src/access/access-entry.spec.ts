import { auditAccessRecordedEvent } from '@conveyor/contracts';
import { accessRecord, actionOfPath, recordableFilters } from './access-entry';

const caller = { tokenId: '6f1c2a4e-8a55-4b8e-9d61-0c1b7b0f8a11', name: 'alice', role: 'auditor' } as const;

describe("the entry recording an auditor's use of the API", () => {
  it('names the action, the filters as parsed, and the export', () => {
    const record = accessRecord(
      caller,
      {
        action: 'export',
        path: '/audit/export?format=csv&actor=bob',
        filters: { actor: 'bob', fromSeq: 3, types: ['a.b', 'c.d'] },
        format: 'csv',
        exportId: '0d0a7a34-4b6c-4d0e-9c1e-2a3b4c5d6e7f',
      },
      200,
    );
    expect(record).toEqual({
      action: 'export',
      method: 'GET',
      path: '/audit/export?format=csv&actor=bob',
      status: 200,
      role: 'auditor',
      tokenId: caller.tokenId,
      filters: { actor: 'bob', fromSeq: 3, types: ['a.b', 'c.d'] },
      format: 'csv',
      exportId: '0d0a7a34-4b6c-4d0e-9c1e-2a3b4c5d6e7f',
    });
    expect(auditAccessRecordedEvent.schema.safeParse(record).success).toBe(true);
  });

  it('keeps whatever a refused caller sent, bounded, as text', () => {
    const filters = recordableFilters({ nested: { a: 1 }, long: 'x'.repeat(900), gone: undefined });
    expect(filters['nested']).toBe('{"a":1}');
    expect(String(filters['long'])).toHaveLength(500);
    expect('gone' in filters).toBe(false);
    const many = recordableFilters(Object.fromEntries(Array.from({ length: 50 }, (_, n) => [`k${n}`, 'v'])));
    expect(Object.keys(many)).toHaveLength(20);
  });

  it('tells which route a path is', () => {
    expect(actionOfPath('/audit/export?format=csv')).toBe('export');
    expect(actionOfPath('/audit/exports/abc/manifest')).toBe('manifest');
    expect(actionOfPath('/audit/evidence/d-1')).toBe('evidence');
    expect(actionOfPath('/audit/verify')).toBe('verify');
    expect(actionOfPath('/audit/events?limit=1')).toBe('events');
  });
});
