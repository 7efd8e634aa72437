import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../check/check-command';
import { agentOptions, at, FIVE_MINUTES, overTheWire, signedDeploy } from '../testing/command-fixtures';
import { FileNonceStore } from './file-nonce-store';
import { NONCE_LOG_HEADER } from './nonce-log';

const t = (ms: number): Date => new Date(ms);
const NONCE = 'q2uHqS1sMkT0Jx6c2w6yJ0mXb6y0Qk3V';

describe('FileNonceStore on a real directory', () => {
  let dir: string;
  const opened: FileNonceStore[] = [];
  const openStore = async (now: Date, compactAfterAppends?: number): Promise<FileNonceStore> => {
    const store = await FileNonceStore.open(dir, { now, compactAfterAppends });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conveyor-nonces-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('remembers an accepted command across a re-open: the replay after a restart is refused', async () => {
    const signed = overTheWire(signedDeploy());
    const first = await openStore(at(0));
    expect((await checkCommand(signed, agentOptions({ nonceStore: first }))).ok).toBe(true);
    await first.close();

    const afterRestart = await openStore(at(2000));
    const replay = await checkCommand(signed, agentOptions({ nonceStore: afterRestart, now: at(2000) }));
    expect(replay).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('remembers without a clean close (the process died after the record)', async () => {
    const crashed = await FileNonceStore.open(dir, { now: t(0) });
    expect(await crashed.recordIfNew(NONCE, t(10_000), t(0))).toBe(true);
    // no close(): the record must already be on disk
    const reopened = await openStore(t(1));
    expect(reopened.has(NONCE, t(1))).toBe(true);
    await crashed.close();
  });

  it('forgets a nonce after its expiry, on disk too', async () => {
    const store = await openStore(t(0));
    await store.recordIfNew(NONCE, t(10_000), t(0));
    await store.recordIfNew('stillLive', t(50_000), t(0));
    await store.close();

    const later = await openStore(t(10_000));
    expect(later.has(NONCE, t(10_000))).toBe(false);
    expect(later.has('stillLive', t(10_000))).toBe(true);
    const onDisk = await readFile(join(dir, 'nonces.log'), 'utf8');
    expect(onDisk).toBe(`${NONCE_LOG_HEADER}\n50000 stillLive\n`);
    expect(await later.recordIfNew(NONCE, t(20_000), t(10_000))).toBe(true);
  });

  it('prune() rewrites the log without expired nonces and keeps accepting', async () => {
    const store = await openStore(t(0));
    for (let i = 0; i < 20; i++) await store.recordIfNew(`n${i}`, t(i < 15 ? 100 : 900), t(0));
    expect(await store.prune(t(100))).toBe(15);
    expect(await store.recordIfNew('after', t(900), t(100))).toBe(true);
    const lines = (await readFile(join(dir, 'nonces.log'), 'utf8')).trim().split('\n');
    expect(lines).toEqual([
      NONCE_LOG_HEADER,
      '900 n15',
      '900 n16',
      '900 n17',
      '900 n18',
      '900 n19',
      '900 after',
    ]);
  });

  it('compacts by itself once the log is mostly expired records', async () => {
    const store = await openStore(t(0), 10);
    for (let i = 0; i < 30; i++) await store.recordIfNew(`n${i}`, t(i + 1), t(i));
    const lines = (await readFile(join(dir, 'nonces.log'), 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThan(15);
    expect(store.has('n29', t(29))).toBe(true);
  });

  it('of 25 concurrent checks of the same command, accepts exactly one and refuses the rest as replayed', async () => {
    const store = await openStore(at(0));
    const signed = signedDeploy();
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        checkCommand(overTheWire(signed), agentOptions({ nonceStore: store })),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === 'replayed')).toHaveLength(24);
  });

  it('accepts concurrent distinct commands, all durable after a re-open', async () => {
    const store = await openStore(at(0));
    const commands = Array.from({ length: 40 }, (_, i) =>
      signedDeploy({ nonce: `concurrentNonce-${String(i).padStart(16, '0')}` }),
    );
    const results = await Promise.all(
      commands.map((c) => checkCommand(overTheWire(c), agentOptions({ nonceStore: store }))),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    await store.close();
    const reopened = await openStore(at(1000));
    expect(commands.every((c) => reopened.has(c.nonce, at(1000)))).toBe(true);
    expect(reopened.has(commands[0]!.nonce, at(FIVE_MINUTES + 30_000))).toBe(false);
  });

  it('survives a record torn by a crash at the end of the log', async () => {
    await writeFile(join(dir, 'nonces.log'), `${NONCE_LOG_HEADER}\n90000 ${NONCE}\n90000 torn`);
    const store = await openStore(t(0));
    expect(store.has(NONCE, t(0))).toBe(true);
    expect(store.has('torn', t(0))).toBe(false);
    expect(await store.recordIfNew('next', t(90_000), t(0))).toBe(true);
    expect(await readFile(join(dir, 'nonces.log'), 'utf8')).toBe(
      `${NONCE_LOG_HEADER}\n90000 ${NONCE}\n90000 next\n`,
    );
  });

  it('refuses to open a corrupt log rather than run without replay protection', async () => {
    await writeFile(
      join(dir, 'nonces.log'),
      `${NONCE_LOG_HEADER}\n90000 ${NONCE}\n#$%garbage\n90000 other\n`,
    );
    await expect(FileNonceStore.open(dir, { now: t(0) })).rejects.toThrow(/nonce log .* is corrupt \(line 3/);
  });

  it('keeps the log private to the agent (mode 0600)', async () => {
    await openStore(t(0));
    expect((await stat(join(dir, 'nonces.log'))).mode & 0o777).toBe(0o600);
  });

  it('refuses use after close', async () => {
    const store = await openStore(t(0));
    await store.close();
    await expect(store.recordIfNew(NONCE, t(10), t(0))).rejects.toThrow('is closed');
  });
});
