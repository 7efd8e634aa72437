import { appendBatch } from '../chain/append-batch';
import type { JsonValue } from '../entry/json-value';
import { newEntry } from '../testing/entry-fixtures';
import { csvFieldsToEntry, csvHeaderRecord, entryToCsvRecord } from './csv-format';
import { CsvRecordParser } from './csv-record-parser';

const nastyPayloads: JsonValue[] = [
  { text: 'comma, "quotes", and\nnewline\r\nand CRLF' },
  ['"', '""', ',', '\n', '\r'],
  'just a string, with a comma',
  42,
  null,
  { emoji: '🚀 déploiement', zero: '\u0000', separator: '\u2028' },
];

function roundTrip(record: string): ReturnType<typeof csvFieldsToEntry>[] {
  const parser = new CsvRecordParser();
  const events = [...parser.push(record), ...parser.end()];
  return events.map((event) =>
    event.kind === 'record' ? csvFieldsToEntry(event.fields) : { ok: false, message: event.message },
  );
}

describe('CSV format', () => {
  it('has the documented header', () => {
    expect(csvHeaderRecord()).toBe(
      'seq,event_id,type,subject,correlation_id,actor,time,payload,prev_hash,hash\r\n',
    );
  });

  it.each(nastyPayloads.map((payload) => [JSON.stringify(payload), payload]))(
    'round-trips payload %s',
    (_name, payload) => {
      const [entry] = appendBatch(null, [
        newEntry(1, { payload, actor: 'user:"o\'brien", ops\nteam', subject: 'a,b' }),
      ]);
      expect(roundTrip(entryToCsvRecord(entry!))).toEqual([{ ok: true, entry }]);
    },
  );

  it('writes null subject and correlation id as empty fields and reads them back as null', () => {
    const [entry] = appendBatch(null, [newEntry(1, { subject: null, correlationId: null })]);
    const record = entryToCsvRecord(entry!);
    expect(record.startsWith(`1,${entry!.eventId},${entry!.type},,,`)).toBe(true);
    expect(roundTrip(record)).toEqual([{ ok: true, entry }]);
  });

  it('says which column is wrong', () => {
    const [entry] = appendBatch(null, [newEntry(1)]);
    const fields = (record: string): string[] => {
      const parser = new CsvRecordParser();
      const [event] = [...parser.push(record), ...parser.end()];
      return event?.kind === 'record' ? event.fields : [];
    };
    const good = fields(entryToCsvRecord(entry!));
    expect(csvFieldsToEntry(good.slice(1))).toEqual({
      ok: false,
      message: expect.stringContaining('expected 10 fields'),
    });
    expect(csvFieldsToEntry(['01', ...good.slice(1)])).toEqual({
      ok: false,
      message: 'seq: "01" is not a positive integer',
    });
    expect(csvFieldsToEntry([...good.slice(0, 7), '{oops', ...good.slice(8)])).toEqual({
      ok: false,
      message: expect.stringContaining('payload: not valid JSON'),
    });
    expect(csvFieldsToEntry([...good.slice(0, 9), 'XYZ'])).toEqual({
      ok: false,
      message: expect.stringContaining('hash'),
    });
  });
});
