import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTestResults } from './parse-test-results';
import { expectError } from './testing/test-results-fixtures';

const JUNIT =
  '<testsuites tests="1"><testsuite name="s" tests="1"><testcase name="a"/></testsuite></testsuites>';

describe('parseTestResults reads only regular files, bounded, inside the suite’s directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'result-kinds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'results.xml');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const error = expectError(await parseTestResults(fifo));
    expect(error).toMatchObject({
      kind: 'not-a-file',
      message: `${fifo} is not a regular file (a FIFO): refused`,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses a symbolic link as the result file', async () => {
    writeFileSync(join(dir, 'real.xml'), JUNIT);
    symlinkSync(join(dir, 'real.xml'), join(dir, 'results.xml'));
    expect(expectError(await parseTestResults(join(dir, 'results.xml'))).message).toContain(
      'is a symbolic link',
    );
  });

  it('refuses a path that leads out of `within` through a linked directory', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'result-outside-'));
    try {
      writeFileSync(join(outside, 'results.xml'), JUNIT);
      symlinkSync(outside, join(dir, 'out'));
      const error = expectError(await parseTestResults(join(dir, 'out', 'results.xml'), { within: dir }));
      expect(error.message).toContain("leads out of the suite's working directory");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a file larger than maxBytes, and reads one within it', async () => {
    writeFileSync(join(dir, 'results.xml'), JUNIT);
    expect(expectError(await parseTestResults(join(dir, 'results.xml'), { maxBytes: 20 }))).toMatchObject({
      kind: 'too-large',
      message: `${join(dir, 'results.xml')} is larger than 20 bytes: refused`,
    });
    expect((await parseTestResults(join(dir, 'results.xml'), { within: dir })).ok).toBe(true);
  });
});
