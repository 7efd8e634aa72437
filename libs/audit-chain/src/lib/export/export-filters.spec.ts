import { appendBatch } from '../chain/append-batch';
import { newEntry } from '../testing/entry-fixtures';
import { entryMatchesFilters, exportFiltersSchema, isContiguousExport } from './export-filters';

const [entry] = appendBatch(null, [
  newEntry(1, {
    type: 'deployment.requested',
    subject: 'deploy-1',
    actor: 'user:alice',
    correlationId: 'c-1',
    time: '2025-03-01T12:00:00.000Z',
  }),
]);

describe('export filters', () => {
  it('treats only seq-range exports as contiguous', () => {
    expect(isContiguousExport({})).toBe(true);
    expect(isContiguousExport({ fromSeq: 10, toSeq: 20 })).toBe(true);
    expect(isContiguousExport({ fromSeq: 10, types: ['deployment.requested'] })).toBe(false);
    expect(isContiguousExport({ fromTime: '2025-01-01T00:00:00Z' })).toBe(false);
  });

  it('matches seq bounds inclusively, fromTime inclusively and toTime exclusively', () => {
    expect(entryMatchesFilters(entry!, { fromSeq: 1, toSeq: 1 })).toBe(true);
    expect(entryMatchesFilters(entry!, { fromSeq: 2 })).toBe(false);
    expect(entryMatchesFilters(entry!, { fromTime: '2025-03-01T13:00:00+01:00' })).toBe(true);
    expect(entryMatchesFilters(entry!, { toTime: '2025-03-01T12:00:00Z' })).toBe(false);
    expect(entryMatchesFilters(entry!, { toTime: '2025-03-01T12:00:00.001Z' })).toBe(true);
  });

  it('matches type, subject, correlation id and actor exactly', () => {
    expect(
      entryMatchesFilters(entry!, {
        types: ['x', 'deployment.requested'],
        subject: 'deploy-1',
        correlationId: 'c-1',
        actor: 'user:alice',
      }),
    ).toBe(true);
    expect(entryMatchesFilters(entry!, { types: ['deployment.succeeded'] })).toBe(false);
    expect(entryMatchesFilters(entry!, { subject: 'deploy-10' })).toBe(false);
    expect(entryMatchesFilters(entry!, { actor: 'user:bob' })).toBe(false);
  });

  it('refuses unknown filters so a verifier never silently ignores one', () => {
    expect(exportFiltersSchema.safeParse({ environment: 'prod' }).success).toBe(false);
  });
});

describe('the relatedTo filter (evidence of one deployment)', () => {
  it('matches an entry whose subject or correlation id is the given id', () => {
    expect(entryMatchesFilters(entry!, { relatedTo: 'deploy-1' })).toBe(true);
    expect(entryMatchesFilters(entry!, { relatedTo: 'c-1' })).toBe(true);
    expect(entryMatchesFilters(entry!, { relatedTo: 'deploy-2' })).toBe(false);
    expect(isContiguousExport({ relatedTo: 'deploy-1' })).toBe(false);
  });
});
