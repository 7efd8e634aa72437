import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { generateKeyPairSync } from 'node:crypto';
import { loadTrustedKeys } from './trusted-keys';

describe('loadTrustedKeys', () => {
  const first = generateSigningKeyPair();
  const second = generateSigningKeyPair();

  it('keys several public keys by key id, for rotation', () => {
    const keys = loadTrustedKeys([first.publicKeyPem, second.publicKeyPem]);
    expect([...keys.keys()].sort()).toEqual([first.keyId, second.keyId].sort());
  });

  it('refuses private keys, RSA keys and garbage, naming every bad entry', () => {
    const rsaPublic = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => loadTrustedKeys([first.publicKeyPem, first.privateKeyPem, rsaPublic, 'not a key'])).toThrow(
      /trusted key #2: is a private key.*trusted key #3: expected an Ed25519 public key, got rsa.*trusted key #4: not a readable public key PEM/,
    );
  });

  it('refuses an empty list', () => {
    expect(() => loadTrustedKeys([])).toThrow('none given');
  });
});
