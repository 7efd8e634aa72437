import { decodeCursor, encodeCursor } from './page-cursor';
import { parseEventsQuery, parseEvidenceQuery, parseExportQuery } from './query-params.parser';

describe('parsing the auditor query string', () => {
  it('turns parameters into the filters the manifest records, leaving absent ones out', () => {
    const parsed = parseExportQuery({
      format: 'csv',
      fromTime: '2025-03-01T00:00:00Z',
      type: ['a.b', 'c.d,e.f'],
      actor: 'user:alice',
      fromSeq: '5',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        format: 'csv',
        filters: {
          fromSeq: 5,
          fromTime: '2025-03-01T00:00:00Z',
          types: ['a.b', 'c.d', 'e.f'],
          actor: 'user:alice',
        },
      },
    });
    expect(parseExportQuery({})).toEqual({ ok: true, value: { format: 'ndjson', filters: {} } });
  });

  it('names every wrong parameter and why', () => {
    const parsed = parseEventsQuery({
      format: 'csv',
      fromTime: '2025-02-30T00:00:00Z',
      limit: '5000',
      subject: ['a', 'b'],
      type: 'x,,y',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.parameter).sort()).toEqual([
      'format',
      'fromTime',
      'limit',
      'subject',
      'type',
    ]);
    expect(parsed.problems.find((p) => p.parameter === 'limit')?.message).toBe(
      'must be a whole number from 1 to 1000, got "5000"',
    );
  });

  it('refuses dates PostgreSQL cannot hold (year 0, past 9999 in UTC), naming the parameter', () => {
    const parsed = parseExportQuery({
      fromTime: '0000-01-01T00:00:00Z',
      toTime: '9999-12-31T23:00:00-05:00',
    });
    expect(parsed).toEqual({
      ok: false,
      problems: [
        {
          parameter: 'fromTime',
          message:
            'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC), got "0000-01-01T00:00:00Z"',
        },
        {
          parameter: 'toTime',
          message:
            'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC), got "9999-12-31T23:00:00-05:00"',
        },
      ],
    });
    expect(parseEventsQuery({ fromTime: '0001-01-01T00:00:00Z' }).ok).toBe(true);
  });

  it('refuses unknown formats and inverted ranges', () => {
    expect(parseExportQuery({ format: 'xml' })).toEqual({
      ok: false,
      problems: [{ parameter: 'format', message: 'must be one of ndjson, csv, got "xml"' }],
    });
    const inverted = parseExportQuery({
      fromTime: '2025-03-02T00:00:00Z',
      toTime: '2025-03-01T00:00:00+01:00',
      fromSeq: '9',
      toSeq: '3',
    });
    expect(inverted.ok ? [] : inverted.problems.map((p) => p.parameter)).toEqual(['toSeq', 'toTime']);
  });

  it('reads the page size and the cursor of the previous page', () => {
    expect(parseEventsQuery({ limit: '20', cursor: encodeCursor(40) })).toEqual({
      ok: true,
      value: { filters: {}, limit: 20, afterSeq: 40 },
    });
    expect(parseEventsQuery({})).toEqual({ ok: true, value: { filters: {}, limit: 100, afterSeq: 0 } });
  });

  it('gives evidence of one deployment as entries related to it', () => {
    expect(parseEvidenceQuery('d-1', { format: 'csv' })).toEqual({
      ok: true,
      value: { format: 'csv', filters: { relatedTo: 'd-1' } },
    });
    expect(parseEvidenceQuery('d-1', { actor: 'x' }).ok).toBe(false);
  });
});

describe('page cursors', () => {
  it('round-trip and refuse anything else', () => {
    expect(decodeCursor(encodeCursor(123))).toEqual({ ok: true, afterSeq: 123 });
    for (const bad of [
      '',
      'bogus',
      Buffer.from('{"v":1,"after":-1}').toString('base64url'),
      Buffer.from('{"v":2,"after":1}').toString('base64url'),
      'a+b/',
    ]) {
      expect(decodeCursor(bad).ok).toBe(false);
    }
  });
});
