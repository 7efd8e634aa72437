import { createPublicKey, verify } from 'node:crypto';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { deployCommand, orchestratorKey } from '../testing/command-fixtures';
import { signCommand } from './sign-command';
import { signingInput } from './signing-input';

describe('signingInput', () => {
  it('is the RFC 8785 canonical JSON of everything but the signature: sorted keys, no whitespace', () => {
    const signed = signCommand(deployCommand(), orchestratorKey.privateKeyPem, orchestratorKey.keyId);
    expect(signingInput(signed).toString('utf8')).toBe(
      '{"commandId":"0f8fad5b-d9cb-469f-a165-70867728950e","expiresAt":"2025-03-01T12:05:00.000Z",' +
        `"issuedAt":"2025-03-01T12:00:00.000Z","keyId":"${orchestratorKey.keyId}","kind":"deploy",` +
        '"nonce":"q2uHqS1sMkT0Jx6c2w6yJ0mXb6y0Qk3V",' +
        `"payload":{"artifactSha256":"${'ab'.repeat(32)}","service":"billing","version":"4.2.0"},` +
        '"target":{"nodeIds":["web-01","web-02"]}}',
    );
  });

  it('does not depend on the order fields were written in', () => {
    const signed = signCommand(deployCommand(), orchestratorKey.privateKeyPem, orchestratorKey.keyId);
    const reversed = Object.fromEntries(Object.entries(signed).reverse());
    expect(signingInput(reversed)).toEqual(signingInput(signed));
  });
});

describe('signCommand', () => {
  it('adds keyId and an Ed25519 signature that verifies over the signing input', () => {
    const signed = signCommand(deployCommand(), orchestratorKey.privateKeyPem, orchestratorKey.keyId);
    expect(signed.keyId).toBe(orchestratorKey.keyId);
    const publicKey = createPublicKey(orchestratorKey.publicKeyPem);
    expect(verify(null, signingInput(signed), publicKey, Buffer.from(signed.signature, 'base64'))).toBe(true);
  });

  it('refuses a keyId that is not the signing key’s', () => {
    const other = generateSigningKeyPair();
    expect(() => signCommand(deployCommand(), orchestratorKey.privateKeyPem, other.keyId)).toThrow(
      `keyId "${other.keyId}" does not belong to the signing key (its id is ${orchestratorKey.keyId})`,
    );
  });

  it('refuses a command agents would reject as malformed, naming the field', () => {
    expect(() =>
      signCommand(deployCommand({ target: {} }), orchestratorKey.privateKeyPem, orchestratorKey.keyId),
    ).toThrow(/cannot sign an invalid command: target: target must give nodeIds or facts/);
  });

  it('refuses a lifetime above the maximum', () => {
    const command = deployCommand({ expiresAt: '2025-03-01T14:00:00.000Z' });
    expect(() => signCommand(command, orchestratorKey.privateKeyPem, orchestratorKey.keyId)).toThrow(
      'exceeds the maximum 3600000 ms',
    );
  });

  it('refuses a payload that is not plain JSON', () => {
    const command = { ...deployCommand(), payload: { when: new Date(0) } };
    expect(() => signCommand(command, orchestratorKey.privateKeyPem, orchestratorKey.keyId)).toThrow(
      'payload.when is a Date object, not plain JSON',
    );
  });
});

describe('signCommand with values JSON would change', () => {
  it.each([
    ['undefined', { a: undefined }, 'payload.a is undefined'],
    ['NaN', { list: [1, Number.NaN] }, 'payload.list[1] is NaN'],
    ['a Map', { m: new Map() }, 'payload.m is a Map object'],
  ])('refuses %s in the payload, naming where', (_label, payload, message) => {
    const command = { ...deployCommand(), payload };
    expect(() => signCommand(command, orchestratorKey.privateKeyPem, orchestratorKey.keyId)).toThrow(message);
  });
});
