import { archiveFormatOf, isSafeEntryPath } from './archive.format';
import { ArchiveError } from './artifact.errors';

describe('archiveFormatOf', () => {
  it.each([
    ['/a/app-1.0.tar.gz', 'tar.gz'],
    ['/a/APP.TGZ', 'tar.gz'],
    ['/a/app-1.0.zip', 'zip'],
  ])('reads the format of %s', (path, format) => {
    expect(archiveFormatOf(path)).toBe(format);
  });

  it('names the file it cannot classify', () => {
    expect(() => archiveFormatOf('/a/app.rar')).toThrow(ArchiveError);
    expect(() => archiveFormatOf('/a/app.rar')).toThrow('archive /a/app.rar: unknown archive format');
  });
});

describe('isSafeEntryPath', () => {
  it.each(['server.js', 'hooks/start.sh', 'a/b..c/d'])('accepts %s', (path) =>
    expect(isSafeEntryPath(path)).toBe(true),
  );
  it.each(['', '/etc/passwd', '../x', 'hooks/../../x', '..\\x', 'C:\\x'])('refuses %p', (path) =>
    expect(isSafeEntryPath(path)).toBe(false),
  );
});
