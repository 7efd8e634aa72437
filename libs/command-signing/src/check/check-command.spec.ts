import { loadTrustedKeys } from '../keys/trusted-keys';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { MemoryNonceStore } from '../nonce/memory-nonce-store';
import { signCommand } from '../signing/sign-command';
import {
  agentOptions,
  at,
  deployCommand,
  FIVE_MINUTES,
  orchestratorKey,
  overTheWire,
  signedDeploy,
} from '../testing/command-fixtures';
import { checkCommand } from './check-command';

type Wire = Record<string, unknown> & { payload: Record<string, unknown>; signature: string };
const wire = (command: unknown): Wire => overTheWire(command) as Wire;

describe('checkCommand accepts', () => {
  it('a command signed by a trusted key, in its time window, addressed to this node, with a new nonce', async () => {
    const signed = signedDeploy();
    const result = await checkCommand(wire(signed), agentOptions());
    expect(result).toEqual({ ok: true, command: signed });
  });

  it('a command addressed by facts when every fact matches', async () => {
    const signed = signedDeploy({ target: { facts: { service: 'billing', environment: 'production' } } });
    const result = await checkCommand(wire(signed), agentOptions({ nodeId: 'web-77' }));
    expect(result.ok).toBe(true);
  });

  it('a command whose issuedAt is ahead of the agent clock by less than the allowed skew', async () => {
    const result = await checkCommand(
      wire(signedDeploy()),
      agentOptions({ now: at(-20_000), maxClockSkewMs: 30_000 }),
    );
    expect(result.ok).toBe(true);
  });
});

describe('checkCommand rejects', () => {
  it('unsigned: a command without a signature field', async () => {
    const { signature: _signature, ...unsigned } = wire(signedDeploy());
    const result = await checkCommand(unsigned, agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'unsigned' });
  });

  it('unsigned: a command whose signature is empty', async () => {
    const result = await checkCommand({ ...wire(signedDeploy()), signature: '' }, agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'unsigned' });
  });

  it.each([
    ['a string', 'deploy everything'],
    ['null', null],
    ['an array', [1, 2]],
  ])('malformed: %s instead of an object', async (_label, received) => {
    const result = await checkCommand(received, agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('malformed: a missing field, naming it', async () => {
    const { nonce: _nonce, ...withoutNonce } = wire(signedDeploy());
    const result = await checkCommand(withoutNonce, agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    expect(!result.ok && result.detail).toContain('nonce');
  });

  it('malformed: a payload the kind-specific schema refuses, naming the field', async () => {
    const bad = wire(
      signCommand(
        { ...deployCommand(), payload: { service: 'billing', version: 7 } },
        orchestratorKey.privateKeyPem,
        orchestratorKey.keyId,
      ),
    );
    const result = await checkCommand(bad, agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    expect(!result.ok && result.detail).toContain('payload.version');
  });

  it('malformed: an empty target, even when correctly signed by someone', async () => {
    const signed = wire(signedDeploy());
    const result = await checkCommand({ ...signed, target: {} }, agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    expect(!result.ok && result.detail).toContain('target');
  });

  it('malformed: a lifetime longer than the maximum', async () => {
    const signed = signedDeploy({ expiresAt: at(50 * 60 * 1000).toISOString() });
    const result = await checkCommand(wire(signed), agentOptions({ maxLifetimeMs: 30 * 60 * 1000 }));
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    expect(!result.ok && result.detail).toContain('exceeds the maximum');
  });

  it('unknown_key: a valid command signed by a key the agent does not trust', async () => {
    const stranger = generateSigningKeyPair();
    const result = await checkCommand(wire(signedDeploy({}, stranger)), agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'unknown_key' });
    expect(!result.ok && result.detail).toContain(stranger.keyId);
  });

  it('bad_signature: one byte of the payload changed after signing', async () => {
    const forged = wire(signedDeploy());
    forged.payload['version'] = '4.2.1';
    const result = await checkCommand(forged, agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('bad_signature: a trusted key id on a command signed by another key', async () => {
    const stranger = generateSigningKeyPair();
    const forged = { ...wire(signedDeploy({}, stranger)), keyId: orchestratorKey.keyId };
    const result = await checkCommand(forged, agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('expired: once expiresAt plus the allowed skew has passed', async () => {
    const result = await checkCommand(
      wire(signedDeploy()),
      agentOptions({ now: at(FIVE_MINUTES + 30_000), maxClockSkewMs: 30_000 }),
    );
    expect(result).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('not_yet_valid: issued further in the future than the allowed skew', async () => {
    const result = await checkCommand(
      wire(signedDeploy()),
      agentOptions({ now: at(-31_000), maxClockSkewMs: 30_000 }),
    );
    expect(result).toMatchObject({ ok: false, reason: 'not_yet_valid' });
  });

  it('not_for_me: this node id is not among the targeted ones', async () => {
    const result = await checkCommand(wire(signedDeploy()), agentOptions({ nodeId: 'web-03' }));
    expect(result).toMatchObject({ ok: false, reason: 'not_for_me' });
    expect(!result.ok && result.detail).toContain('web-03');
  });

  it('not_for_me: one targeted fact differs', async () => {
    const signed = signedDeploy({ target: { facts: { service: 'billing', environment: 'staging' } } });
    const result = await checkCommand(wire(signed), agentOptions());
    expect(result).toMatchObject({ ok: false, reason: 'not_for_me' });
    expect(!result.ok && result.detail).toContain('environment');
  });

  it('replayed: the same command a second time', async () => {
    const options = agentOptions();
    const signed = signedDeploy();
    expect((await checkCommand(wire(signed), options)).ok).toBe(true);
    const again = await checkCommand(wire(signed), { ...options, now: at(2000) });
    expect(again).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('replayed: hands back the authentic command, so an agent can answer with its recorded result', async () => {
    const options = agentOptions();
    const signed = signedDeploy();
    await checkCommand(wire(signed), options);
    const again = await checkCommand(wire(signed), { ...options, now: at(2000) });
    expect(again).toMatchObject({
      ok: false,
      reason: 'replayed',
      command: { commandId: signed.commandId, payload: signed.payload },
    });
  });

  it('a refusal for any other reason carries no command', async () => {
    const result = await checkCommand(
      wire(signedDeploy({ target: { nodeIds: ['web-09'] } })),
      agentOptions(),
    );
    expect(result).toMatchObject({ ok: false, reason: 'not_for_me' });
    expect(!result.ok && result.command).toBeUndefined();
  });
});

describe('checkCommand order of checks', () => {
  it('reports a forged signature before expiry', async () => {
    const forged = wire(signedDeploy());
    forged.payload['service'] = 'payments';
    const result = await checkCommand(forged, agentOptions({ now: at(FIVE_MINUTES * 10) }));
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('reports expiry before the target', async () => {
    const result = await checkCommand(
      wire(signedDeploy()),
      agentOptions({ nodeId: 'web-03', now: at(FIVE_MINUTES * 10) }),
    );
    expect(result).toMatchObject({ ok: false, reason: 'expired' });
  });

  it.each([
    ['a forged copy', (c: Wire): Wire => ({ ...c, payload: { ...c.payload, version: '9.9.9' } }), {}],
    ['a copy arriving too early', (c: Wire): Wire => c, { now: at(-FIVE_MINUTES) }],
    ['a copy for another node', (c: Wire): Wire => c, { nodeId: 'db-01' }],
  ])(
    'does not burn the nonce on %s: the genuine command is still accepted afterwards',
    async (_label, alter, extra) => {
      const nonceStore = new MemoryNonceStore();
      const signed = wire(signedDeploy());
      const refused = await checkCommand(alter(wire(signed)), agentOptions({ nonceStore, ...extra }));
      expect(refused.ok).toBe(false);
      const genuine = await checkCommand(signed, agentOptions({ nonceStore }));
      expect(genuine.ok).toBe(true);
    },
  );
});

describe('key rotation', () => {
  const oldKey = orchestratorKey;
  const newKey = generateSigningKeyPair();

  it('accepts commands signed by either key while both are trusted', async () => {
    const trustedKeys = loadTrustedKeys([oldKey.publicKeyPem, newKey.publicKeyPem]);
    const byOld = await checkCommand(wire(signedDeploy({}, oldKey)), agentOptions({ trustedKeys }));
    const byNew = await checkCommand(
      wire(signedDeploy({ nonce: 'newKeyNonce-0123456789abcdefghij' }, newKey)),
      agentOptions({ trustedKeys }),
    );
    expect([byOld.ok, byNew.ok]).toEqual([true, true]);
  });

  it('refuses the old key once it is no longer trusted', async () => {
    const trustedKeys = loadTrustedKeys([newKey.publicKeyPem]);
    const result = await checkCommand(wire(signedDeploy({}, oldKey)), agentOptions({ trustedKeys }));
    expect(result).toMatchObject({ ok: false, reason: 'unknown_key' });
  });

  it('does not let a command signed by the new key pass as the old key', async () => {
    const trustedKeys = loadTrustedKeys([oldKey.publicKeyPem, newKey.publicKeyPem]);
    const relabelled = { ...wire(signedDeploy({}, newKey)), keyId: oldKey.keyId };
    const result = await checkCommand(relabelled, agentOptions({ trustedKeys }));
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});

describe('checkCommand with a broken agent configuration', () => {
  it('throws on an invalid clock instead of letting every time check pass', async () => {
    await expect(
      checkCommand(wire(signedDeploy()), agentOptions({ now: new Date('not a date') })),
    ).rejects.toThrow('options.now must be a valid Date');
  });

  it('throws on a negative clock skew', async () => {
    await expect(checkCommand(wire(signedDeploy()), agentOptions({ maxClockSkewMs: -1 }))).rejects.toThrow(
      'maxClockSkewMs',
    );
  });
});
