import { BadRequestException } from '@nestjs/common';
import { validParam, validQuery } from '@conveyor/service-kit';
import type { z } from 'zod';
import { deploymentIdParam, eventsQuery, evidenceQuery, exportQuery } from './audit-query.schemas';
import { decodeCursor, encodeCursor } from './page-cursor';

/** What the controller receives, or the problems of the 400 the pipe answers with. */
function read<S extends z.ZodType>(
  schema: S,
  query: Record<string, unknown>,
): { ok: true; value: z.infer<S> } | { ok: false; error: string; problems: string[] } {
  try {
    return { ok: true, value: validQuery(schema).transform(query) };
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    const body = error.getResponse() as { error: string; problems: string[] };
    return { ok: false, error: body.error, problems: body.problems };
  }
}

describe('the auditor query string', () => {
  it('turns parameters into the filters the manifest records, leaving absent ones out', () => {
    expect(
      read(exportQuery, {
        format: 'csv',
        fromTime: '2025-03-01T00:00:00Z',
        type: ['a.b', 'c.d,e.f'],
        actor: 'user:alice',
        fromSeq: '5',
      }),
    ).toEqual({
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
    expect(read(exportQuery, {})).toEqual({ ok: true, value: { format: 'ndjson', filters: {} } });
  });

  it('names every wrong parameter and why, in one 400', () => {
    const parsed = read(eventsQuery, {
      format: 'csv',
      fromTime: '2025-02-30T00:00:00Z',
      limit: '5000',
      subject: ['a', 'b'],
      type: 'x,,y',
      actor: '',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toBe('invalid query');
    expect(parsed.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'query.actor',
      'query.format',
      'query.fromTime',
      'query.limit',
      'query.subject',
      'query.type',
    ]);
    expect(parsed.problems).toEqual(
      expect.arrayContaining([
        'query.limit: must be a whole number from 1 to 1000, got "5000"',
        'query.subject: must be given once, as a plain value',
        'query.type: must not hold an empty value',
        'query.actor: must not be empty',
        expect.stringMatching(
          /^query\.format: is not a known parameter \(known: fromSeq, .*, limit, cursor\)$/,
        ),
      ]),
    );
  });

  it('refuses dates PostgreSQL cannot hold (year 0, past 9999 in UTC), naming the parameter', () => {
    expect(
      read(exportQuery, { fromTime: '0000-01-01T00:00:00Z', toTime: '9999-12-31T23:00:00-05:00' }),
    ).toEqual({
      ok: false,
      error: 'invalid query',
      problems: [
        'query.fromTime: must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC), got "0000-01-01T00:00:00Z"',
        'query.toTime: must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC), got "9999-12-31T23:00:00-05:00"',
      ],
    });
    expect(read(eventsQuery, { fromTime: '0001-01-01T00:00:00Z' }).ok).toBe(true);
  });

  it('refuses unknown formats and inverted ranges', () => {
    expect(read(exportQuery, { format: 'xml' })).toEqual({
      ok: false,
      error: 'invalid query',
      problems: ['query.format: must be one of ndjson, csv, got "xml"'],
    });
    const inverted = read(exportQuery, {
      fromTime: '2025-03-02T00:00:00Z',
      toTime: '2025-03-01T00:00:00+01:00',
      fromSeq: '9',
      toSeq: '3',
    });
    expect(inverted).toEqual({
      ok: false,
      error: 'invalid query',
      problems: [
        'query.toSeq: must not be below fromSeq (9)',
        'query.toTime: must be after fromTime (2025-03-02T00:00:00Z)',
      ],
    });
  });

  it('reads the page size and the cursor of the previous page, and refuses a made-up cursor', () => {
    expect(read(eventsQuery, { limit: '20', cursor: encodeCursor(40) })).toEqual({
      ok: true,
      value: { filters: {}, limit: 20, afterSeq: 40 },
    });
    expect(read(eventsQuery, {})).toEqual({ ok: true, value: { filters: {}, limit: 100, afterSeq: 0 } });
    expect(read(eventsQuery, { cursor: 'bogus' })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^query\.cursor: is not a cursor returned by this API/)],
    });
  });

  it('takes only a format for an evidence pack, and a deployment id of 1 to 200 characters', () => {
    expect(read(evidenceQuery, { format: 'csv' })).toEqual({ ok: true, value: 'csv' });
    expect(read(evidenceQuery, { actor: 'x' })).toMatchObject({
      ok: false,
      problems: ['query.actor: is not a known parameter (known: format)'],
    });
    expect(validParam('deploymentId', deploymentIdParam).transform('d-1')).toBe('d-1');
    expect(() => validParam('deploymentId', deploymentIdParam).transform('x'.repeat(201))).toThrow(
      BadRequestException,
    );
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
