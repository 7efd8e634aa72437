import { ArchiveEntryPolicy, type ArchiveEntryInfo } from './archive-entry.policy';

const file = (path: string, size = 10): ArchiveEntryInfo => ({ path, kind: 'file', size });
const symlink = (path: string, linkpath: string): ArchiveEntryInfo => ({
  path,
  kind: 'symlink',
  linkpath,
  size: 0,
});
const hardlink = (path: string, linkpath: string): ArchiveEntryInfo => ({
  path,
  kind: 'hardlink',
  linkpath,
  size: 0,
});

describe('ArchiveEntryPolicy', () => {
  it('accepts files, directories and links that stay inside', () => {
    const policy = new ArchiveEntryPolicy();
    expect(policy.check({ path: 'bin/', kind: 'directory', size: 0 })).toBeUndefined();
    expect(policy.check(file('bin/app'))).toBeUndefined();
    expect(policy.check(symlink('node_modules/.bin/app', '../../bin/app'))).toBeUndefined();
    expect(policy.check(hardlink('bin/app2', 'bin/app'))).toBeUndefined();
  });

  it.each(['/etc/passwd', '../x', 'a/../../x', 'C:\\Windows\\x', '\\\\server\\share'])(
    'refuses the path %s',
    (path) => {
      expect(new ArchiveEntryPolicy().check(file(path))).toMatch(/escapes the release dir/);
    },
  );

  it('refuses a hard link to an absolute path or out with ..', () => {
    expect(new ArchiveEntryPolicy().check(hardlink('passwd', '/etc/passwd'))).toMatch(
      /hard link "passwd" points outside the release dir/,
    );
    expect(new ArchiveEntryPolicy().check(hardlink('x', '../outside/secret'))).toMatch(/points outside/);
  });

  it('refuses a symlink to an absolute path or out of the root', () => {
    expect(new ArchiveEntryPolicy().check(symlink('etc', '/etc'))).toMatch(/absolute path/);
    expect(new ArchiveEntryPolicy().check(symlink('a/b', '../../x'))).toMatch(
      /points outside the release dir/,
    );
  });

  it('refuses links and entries that go through another link of the archive', () => {
    const policy = new ArchiveEntryPolicy();
    expect(policy.check(symlink('b', '.'))).toBeUndefined();
    expect(policy.check(symlink('c', 'b/..'))).toMatch(/through another link/);
    expect(policy.check(hardlink('h', 'b/secret'))).toMatch(/through a link/);
    expect(policy.check(file('b/file'))).toMatch(/written through a link/);
  });

  it('refuses devices and FIFOs', () => {
    expect(new ArchiveEntryPolicy().check({ path: 'fifo', kind: 'other', size: 0, typeName: 'FIFO' })).toBe(
      'entry "fifo" is a FIFO: only files, directories and links are unpacked',
    );
  });

  it('caps the number of entries and the bytes', () => {
    const policy = new ArchiveEntryPolicy({ maxBytes: 100, maxEntries: 2 });
    expect(policy.check(file('a', 60))).toBeUndefined();
    expect(policy.check(file('b', 60))).toMatch(/more than 100 bytes/);
    const few = new ArchiveEntryPolicy({ maxBytes: 100, maxEntries: 2 });
    few.check(file('a', 1));
    few.check(file('b', 1));
    expect(few.check(file('c', 1))).toMatch(/more than 2 entries/);
  });
});
