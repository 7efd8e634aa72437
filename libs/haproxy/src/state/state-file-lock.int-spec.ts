import { mkdir, mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveServerState } from './server-state-file';
import { stateFileLockPath, withStateFileLock } from './state-file-lock';

const dumpOf = (state: string) =>
  `1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state\n3 be_online 1 s1 127.0.0.1 2 ${state}\n`;

describe('the server-state-file lock shared with the reload hook', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conveyor-state-lock-'));
    file = join(dir, 'server-state');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('waits while a reload holds the lock and dumps only after it, so an older dump never lands over the newer', async () => {
    let admin = '0'; // ready, as a stale writer would have seen it
    const source = { command: () => Promise.resolve(dumpOf(admin)) };
    await mkdir(stateFileLockPath(file)); // the hook, mid-reload
    const saving = saveServerState(source, file);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(stat(file)).rejects.toThrow(); // nothing written while the lock is held
    admin = '1'; // meanwhile the server went into maintenance; the hook's reload ends
    await rm(stateFileLockPath(file), { recursive: true });
    await saving;
    expect(await readFile(file, 'utf8')).toBe(dumpOf('1'));
    await expect(stat(stateFileLockPath(file))).rejects.toThrow(); // released
  });

  it('breaks a lock left by a writer that died', async () => {
    await mkdir(stateFileLockPath(file));
    const longAgo = new Date(Date.now() - 120_000);
    await utimes(stateFileLockPath(file), longAgo, longAgo);
    await saveServerState({ command: () => Promise.resolve(dumpOf('1')) }, file);
    expect(await readFile(file, 'utf8')).toBe(dumpOf('1'));
  });

  it('gives up after its timeout, naming the lock, and leaves the holder its lock', async () => {
    await mkdir(stateFileLockPath(file));
    await expect(withStateFileLock(file, () => Promise.resolve(1), { timeoutMs: 200 })).rejects.toThrow(
      `${file}.lock has been held for more than 200 ms`,
    );
    expect((await stat(stateFileLockPath(file))).isDirectory()).toBe(true);
  });
});
