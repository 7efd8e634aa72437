import { z } from 'zod';
import type { CommandToSign, SignedCommand } from '../command/command.schema';
import { loadTrustedKeys } from '../keys/trusted-keys';
import { generateSigningKeyPair, type SigningKeyPair } from '@conveyor/signing-keys';
import type { CheckOptions } from '../check/check-command';
import { MemoryNonceStore } from '../nonce/memory-nonce-store';
import { signCommand } from '../signing/sign-command';

/** Test helpers: fixed clocks, keys made once per test file, and a typical deploy command. */
export const ISSUED_AT = new Date('2025-03-01T12:00:00.000Z');
export const FIVE_MINUTES = 5 * 60 * 1000;
export const at = (offsetMs: number): Date => new Date(ISSUED_AT.getTime() + offsetMs);

export const deployPayloadSchema = z.strictObject({
  service: z.string(),
  version: z.string(),
  artifactSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DeployPayload = z.infer<typeof deployPayloadSchema>;

export const orchestratorKey: SigningKeyPair = generateSigningKeyPair();

export function deployCommand(
  overrides: Partial<CommandToSign<DeployPayload>> = {},
): CommandToSign<DeployPayload> {
  return {
    commandId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    kind: 'deploy',
    target: { nodeIds: ['web-01', 'web-02'] },
    issuedAt: ISSUED_AT.toISOString(),
    expiresAt: at(FIVE_MINUTES).toISOString(),
    nonce: 'q2uHqS1sMkT0Jx6c2w6yJ0mXb6y0Qk3V',
    payload: { service: 'billing', version: '4.2.0', artifactSha256: 'ab'.repeat(32) },
    ...overrides,
  };
}

export function signedDeploy(
  overrides: Partial<CommandToSign<DeployPayload>> = {},
  key: SigningKeyPair = orchestratorKey,
): SignedCommand<DeployPayload> {
  return signCommand(deployCommand(overrides), key.privateKeyPem, key.keyId);
}

/** What a command looks like after crossing RabbitMQ: parsed JSON, a fresh object. */
export function overTheWire(command: unknown): unknown {
  return JSON.parse(JSON.stringify(command)) as unknown;
}

export function agentOptions(
  overrides: Partial<CheckOptions<typeof deployPayloadSchema>> = {},
): CheckOptions<typeof deployPayloadSchema> {
  return {
    trustedKeys: loadTrustedKeys([orchestratorKey.publicKeyPem]),
    nodeId: 'web-01',
    facts: { service: 'billing', environment: 'production', os: 'windows' },
    now: at(1000),
    nonceStore: new MemoryNonceStore(),
    payloadSchema: deployPayloadSchema,
    ...overrides,
  };
}
