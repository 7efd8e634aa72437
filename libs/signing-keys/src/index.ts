export {
  generateSigningKeyPair,
  keyIdOf,
  KEY_ID_LENGTH,
  loadPrivateKey,
  loadPublicKey,
  SigningKeyError,
  type SigningKeyPair,
} from './ed25519-keys';
export { writeSigningKeyPair, type WrittenKeyPair } from './key-files';
