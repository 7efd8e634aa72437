import canonicalize from 'canonicalize';
import { appendBatch } from '../chain/append-batch';
import { generateChain } from '../testing/chain-fixtures';
import { newEntry } from '../testing/entry-fixtures';
import { entryToNdjsonLine, parseNdjsonLine } from './ndjson-format';

describe('NDJSON format', () => {
  it('writes one canonical JSON line per entry, keys sorted, no raw line breaks', () => {
    const [entry] = appendBatch(null, [newEntry(1, { payload: { z: 'line\nbreak', a: 1 } })]);
    const line = entryToNdjsonLine(entry!);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(line.startsWith('{"actor":')).toBe(true);
    expect(line).toContain('"payload":{"a":1,"z":"line\\nbreak"}');
    expect(parseNdjsonLine(line.slice(0, -1))).toEqual({ ok: true, entry });
  });

  it('builds each line byte for byte as RFC 8785 canonical JSON of the whole entry', () => {
    for (const entry of generateChain(50)) expect(entryToNdjsonLine(entry)).toBe(`${canonicalize(entry)}\n`);
  });

  it('explains a line that is not JSON or not an entry', () => {
    expect(parseNdjsonLine('{"seq":')).toEqual({
      ok: false,
      message: expect.stringContaining('not valid JSON'),
    });
    expect(parseNdjsonLine('{"seq":1}')).toEqual({ ok: false, message: expect.stringContaining('eventId') });
  });
});
