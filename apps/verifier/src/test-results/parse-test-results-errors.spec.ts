import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseTestResults } from './parse-test-results';
import { expectError, expectResults, fixturePath, parseXmlText } from './testing/test-results-fixtures';

describe('parseTestResults on files it cannot use', () => {
  it('reports a missing file by path, without throwing', async () => {
    const path = fixturePath('no-such-results.xml');
    const error = expectError(await parseTestResults(path));

    expect(error.kind).toBe('file-not-found');
    expect(error.message).toBe(`${path} does not exist (no result file was written?)`);
  });

  it('reports a directory as not a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-dir-'));
    try {
      expect(expectError(await parseTestResults(dir)).kind).toBe('not-a-file');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('reports an empty file as empty', async () => {
    const error = expectError(await parseTestResults(fixturePath('empty.xml')));

    expect(error.kind).toBe('empty');
    expect(error.message).toContain('empty.xml is empty');
  });

  it('reports a whitespace-only stream as empty', async () => {
    expect(expectError(await parseXmlText('\n   \n')).kind).toBe('empty');
  });

  it('reports a console log as not XML, quoting how it starts', async () => {
    const error = expectError(await parseTestResults(fixturePath('not-xml.txt')));

    expect(error.kind).toBe('not-xml');
    expect(error.message).toContain('is not XML: it starts with "Test run for /srv/sm"');
  });

  it('reports a truncated file as malformed XML with the line and column where it ended', async () => {
    const error = expectError(await parseTestResults(fixturePath('junit-truncated.xml')));

    expect(error.kind).toBe('malformed-xml');
    expect(error.line).toBe(11);
    expect(error.column).toBeGreaterThan(0);
    expect(error.message).toMatch(
      /^Malformed XML in .*junit-truncated\.xml at line 11, column \d+: unclosed tag: failure$/,
    );
  });

  it('reports mismatched tags with their position', async () => {
    const error = expectError(await parseXmlText('<testsuite name="s">\n  <testcase name="t"></testsuite>'));

    expect(error.kind).toBe('malformed-xml');
    expect(error.line).toBe(2);
    expect(error.message).toContain('column 33: unexpected close tag');
  });

  it('names an unknown root element, such as a Visual Studio TRX file', async () => {
    const error = expectError(await parseTestResults(fixturePath('wrong-root-trx.xml')));

    expect(error.kind).toBe('unknown-root');
    expect(error.rootElement).toBe('TestRun');
    expect(error.message).toContain('has root element <TestRun>, which is not a known test result format');
    expect(error.message).toContain('<testsuites>, <testsuite>, <test-run>, <test-results>');
  });

  it('refuses a DOCTYPE with billion-laughs entities instead of expanding them', async () => {
    const error = expectError(await parseTestResults(fixturePath('billion-laughs.xml')));

    expect(error.kind).toBe('doctype-refused');
    expect(error.message).toContain('a DOCTYPE declaration is not accepted');
    expect(error.message.length).toBeLessThan(400);
  });

  it('refuses a DOCTYPE declaring an external entity, leaking nothing of the referenced file', async () => {
    const error = expectError(await parseTestResults(fixturePath('external-entity.xml')));

    expect(error.kind).toBe('doctype-refused');
    expect(error.message).not.toContain('root:');
  });

  it('reports an entity reference without any declaration as malformed, not expanded', async () => {
    const error = expectError(await parseTestResults(fixturePath('undeclared-entity.xml')));

    expect(error.kind).toBe('malformed-xml');
    expect(error.message).toContain('undefined entity');
  });

  it('gives up on nesting deeper than maxDepth, naming the element and the bound', async () => {
    const depth = 40;
    const xml = `<test-run>${'<test-suite name="s">'.repeat(depth)}${'</test-suite>'.repeat(depth)}</test-run>`;

    const error = expectError(await parseXmlText(xml, { maxDepth: 30 }));
    expect(error.kind).toBe('too-deep');
    expect(error.message).toContain('element <test-suite> is nested deeper than 30 levels');

    expect(expectResults(await parseXmlText(xml, { maxDepth: 41 })).totals.total).toBe(0);
  });

  it('refuses a UTF-16 big-endian file by name', async () => {
    const body = Buffer.from('<testsuite name="s"/>', 'utf16le').swap16();
    const error = expectError(
      await parseTestResults(Readable.from([Buffer.concat([Buffer.from([0xfe, 0xff]), body])])),
    );

    expect(error.kind).toBe('unsupported-encoding');
    expect(error.message).toBe(
      'stream cannot be read: it is encoded as UTF-16 big-endian, which is not supported (use UTF-8)',
    );
  });

  it('reports a stream that fails mid-way as unreadable', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('<testsuite name="s">');
      throw new Error('connection reset');
    }
    const error = expectError(
      await parseTestResults(Readable.from(failing()), { sourceName: 'agent upload' }),
    );

    expect(error.kind).toBe('unreadable');
    expect(error.message).toBe('agent upload cannot be read: connection reset');
  });

  it('rejects invalid options as a caller bug', async () => {
    await expect(parseXmlText('<testsuite/>', { maxFailures: -1 })).rejects.toThrow(
      'maxFailures must be an integer >= 0, got -1',
    );
  });
});

describe('parseTestResults on encodings and chunking', () => {
  const xml =
    '<testsuite name="Café"><testcase name="größe"><failure message="Ünïcödé ✓ 💥"/></testcase></testsuite>';

  it('does not split characters across chunk boundaries', async () => {
    for (const chunkSize of [1, 2, 3, 5]) {
      const results = expectResults(await parseXmlText(xml, { chunkSize }));
      expect(results.failures[0]).toEqual({ name: 'Café.größe', outcome: 'failed', message: 'Ünïcödé ✓ 💥' });
    }
  });

  it('reads UTF-8 with a byte order mark and UTF-16LE with one', async () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'utf8')]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);

    for (const bytes of [utf8, utf16]) {
      const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 7), bytes.subarray(7)];
      const results = expectResults(await parseTestResults(Readable.from(chunks)));
      expect(results.failures[0]!.message).toBe('Ünïcödé ✓ 💥');
    }
  });
});
