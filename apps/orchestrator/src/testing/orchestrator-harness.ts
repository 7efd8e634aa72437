import { generateSigningKeyPair, type SigningKeyPair } from '@conveyor/signing-keys';
import type { DeploymentRequested, EventInput } from '@conveyor/contracts';
import { testServiceEnv } from '@conveyor/service-kit';
import { serviceLoginUrl } from '@conveyor/testing';
import { orchestratorEnvSchema, type OrchestratorEnv } from '../config/orchestrator-env';
import { deploymentRequest, serverIds } from './deployment.factory';

export const SERVERS = serverIds(6);

export function signingKeys(): SigningKeyPair {
  return generateSigningKeyPair();
}

/** The orchestrator's environment in a test: short leases and a short agent-silence window. */
export function orchestratorTestEnv(
  amqpUrl: string,
  databaseUrl: string,
  privateKeyPem: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  // As its own login (`<database>_orchestrator`, owner of schema `orchestrator` only).
  const base = testServiceEnv(amqpUrl, serviceLoginUrl(databaseUrl, 'orchestrator'));
  return {
    ...Object.fromEntries(Object.entries(base).map(([k, v]) => [k, String(v)])),
    LOG_LEVEL: process.env['ORCHESTRATOR_TEST_LOG_LEVEL'] ?? 'silent',
    ORCHESTRATOR_SIGNING_KEY: privateKeyPem,
    ORCHESTRATOR_LEASE_MS: '2000',
    ORCHESTRATOR_POLL_MS: '100',
    ORCHESTRATOR_AGENT_SILENCE_MS: '3000',
    ORCHESTRATOR_LIVENESS_CHECK_MS: '500',
    ...extra,
  };
}

export function parsedEnv(vars: Record<string, string>): OrchestratorEnv {
  // PORT 0 (any free port) is fine in-process but not a valid setting for a real deployment.
  return { ...orchestratorEnvSchema.parse({ ...vars, PORT: '1' }), PORT: Number(vars['PORT'] ?? 0) };
}

type Strategy = EventInput['deployment.requested']['environmentSpec']['strategy'];

/** A request to roll `version` out to the 6 servers in batches of 2 with a canary of 1, floor 4. */
export function rolloutRequest(version: string, strategy: Partial<Strategy> = {}): DeploymentRequested {
  return deploymentRequest({
    version,
    strategy: { stepTimeoutSeconds: 600, ...strategy },
    verification: { timeoutSeconds: 60, health: { versionField: 'version' } },
  });
}
