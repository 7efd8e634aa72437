import { CsvRecordParser, type CsvRecordEvent } from './csv-record-parser';

function parseInChunks(text: string, chunkSize: number): CsvRecordEvent[] {
  const parser = new CsvRecordParser();
  const events: CsvRecordEvent[] = [];
  for (let at = 0; at < text.length; at += chunkSize)
    events.push(...parser.push(text.slice(at, at + chunkSize)));
  events.push(...parser.end());
  return events;
}

const NASTY =
  'a,b\r\n"x,y","he said ""hi""\r\nbye",""\r\nplain,"multi\nline",last\n"end",,"no newline at end"';

describe('CsvRecordParser', () => {
  it('reads RFC 4180 records with quoted commas, doubled quotes and line breaks', () => {
    expect(parseInChunks(NASTY, NASTY.length)).toEqual([
      { kind: 'record', line: 1, fields: ['a', 'b'] },
      { kind: 'record', line: 2, fields: ['x,y', 'he said "hi"\r\nbye', ''] },
      { kind: 'record', line: 4, fields: ['plain', 'multi\nline', 'last'] },
      { kind: 'record', line: 6, fields: ['end', '', 'no newline at end'] },
    ]);
  });

  it('gives the same records however the text is split into chunks', () => {
    const whole = parseInChunks(NASTY, NASTY.length);
    for (let size = 1; size < NASTY.length; size += 1) expect(parseInChunks(NASTY, size)).toEqual(whole);
  });

  it.each([
    ['a quote inside an unquoted field', 'ab"c,d\r\n', /quote inside an unquoted field/],
    ['text after a closing quote', '"ab"c,d\r\n', /unexpected "c" after a closing quote/],
    ['an unclosed quote', 'a,"never closed\r\n', /never closed/],
    ['a bare carriage return', 'a\rb\r\n', /carriage return/],
  ])('reports %s with its line and then stops', (_case, text, message) => {
    const events = parseInChunks(`ok,1\r\n${text}ok,2\r\n`, 3);
    expect(events[0]).toEqual({ kind: 'record', line: 1, fields: ['ok', '1'] });
    expect(events[1]).toMatchObject({ kind: 'error', line: 2, message: expect.stringMatching(message) });
    expect(events).toHaveLength(2);
  });
});
