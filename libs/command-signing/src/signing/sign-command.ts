import { KeyObject, sign } from 'node:crypto';
import { MAX_COMMAND_LIFETIME_MS } from '../command/command-policy';
import { lifetimeProblem } from '../command/command-lifetime';
import { describeIssues } from '../command/describe-issues';
import {
  jsonPayloadSchema,
  unsignedCommandSchema,
  type CommandToSign,
  type SignedCommand,
} from '../command/command.schema';
import { keyIdOf, loadPrivateKey } from '@conveyor/signing-keys';
import { findNonJsonValue } from './plain-json';
import { signingInput } from './signing-input';

export interface SignOptions {
  /** Refuse to sign commands that live longer than this; agents enforce the same limit. */
  maxLifetimeMs?: number;
}

const wireCommandSchema = unsignedCommandSchema(jsonPayloadSchema);

/** Deriving a key id costs a public-key export and a hash: remember it per loaded key. */
const keyIds = new WeakMap<KeyObject, string>();
function keyIdFor(key: KeyObject): string {
  let keyId = keyIds.get(key);
  if (keyId === undefined) {
    keyId = keyIdOf(key);
    keyIds.set(key, keyId);
  }
  return keyId;
}

/**
 * Signs a command with Ed25519 over its RFC 8785 canonical JSON (with `keyId`, without
 * `signature`). Throws if the command is not one an agent would accept structurally, or if
 * `keyId` is not the id of the given key's public half: a signer never emits a command its
 * agents must refuse as malformed or unknown_key. Pass a KeyObject from `loadPrivateKey` (loaded
 * once at boot): a PEM string is parsed again on every call, which costs milliseconds.
 */
export function signCommand<P>(
  unsigned: CommandToSign<P>,
  privateKey: KeyObject | string,
  keyId: string,
  options: SignOptions = {},
): SignedCommand<P> {
  const key = loadPrivateKey(privateKey);
  const actualKeyId = keyIdFor(key);
  if (actualKeyId !== keyId) {
    throw new Error(`keyId "${keyId}" does not belong to the signing key (its id is ${actualKeyId})`);
  }
  const command = { ...unsigned, keyId };
  if ('signature' in command) {
    throw new Error('command is already signed');
  }
  const notJson = findNonJsonValue(command);
  if (notJson !== undefined) {
    throw new Error(`cannot sign: ${notJson}`);
  }
  const parsed = wireCommandSchema.safeParse(command);
  if (!parsed.success) {
    throw new Error(`cannot sign an invalid command: ${describeIssues(parsed.error)}`);
  }
  const tooLong = lifetimeProblem(command, options.maxLifetimeMs ?? MAX_COMMAND_LIFETIME_MS);
  if (tooLong !== undefined) {
    throw new Error(`cannot sign: ${tooLong}`);
  }
  const signature = sign(null, signingInput(command), key).toString('base64');
  return { ...command, signature };
}
