import { errorMessage } from '@conveyor/errors';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { keyIdOf, loadPrivateKey } from '@conveyor/signing-keys';
import { serviceEnv } from '@conveyor/service-kit';

export const ORCHESTRATOR_PORT = 3001;

/** The signing key, parsed once at boot: PEM text in the variable, or the path of a PEM file. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly keyId: string;
}

function readSigningKey(value: string): SigningKey {
  const pem = value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
  const privateKey = loadPrivateKey(pem);
  return { privateKey, keyId: keyIdOf(privateKey) };
}

const signingKey = z
  .string({ error: 'is required: an Ed25519 private key (PKCS#8 PEM) or the path of one' })
  .min(1, 'is required: an Ed25519 private key (PKCS#8 PEM) or the path of one')
  .transform((value, ctx) => {
    if (!value.includes('-----BEGIN') && !existsSync(value)) {
      ctx.addIssue({ code: 'custom', message: 'is neither a PEM key nor the path of an existing file' });
      return z.NEVER;
    }
    try {
      return readSigningKey(value);
    } catch (error) {
      // The message of a key parse error never contains the key itself.
      ctx.addIssue({
        code: 'custom',
        message: `is not an Ed25519 private key: ${errorMessage(error)}`,
      });
      return z.NEVER;
    }
  });

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const orchestratorEnvSchema = serviceEnv(ORCHESTRATOR_PORT).extend({
  ORCHESTRATOR_SIGNING_KEY: signingKey,
  /** Names this instance in leases; stable across restarts lets it take its leases back at once. */
  ORCHESTRATOR_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1-100 letters, digits, dots, dashes or underscores')
    .default(
      () =>
        `${hostname()
          .replace(/[^A-Za-z0-9._-]/g, '-')
          .slice(0, 60)}-${process.pid}-${randomBytes(3).toString('hex')}`,
    ),
  /** How long a deployment stays owned by an instance that stopped renewing (it died). */
  ORCHESTRATOR_LEASE_MS: ms(1_000, 600_000, 10_000),
  /** How often the scheduler looks for due deadlines and orphaned deployments. */
  ORCHESTRATOR_POLL_MS: ms(20, 60_000, 250),
  /** An agent with no heartbeat for this long fails the step it runs. */
  ORCHESTRATOR_AGENT_SILENCE_MS: ms(1_000, 600_000, 15_000),
  /**
   * After a broker outage (or this instance's start), how long an agent not yet heard from again is
   * given to come back before its silence counts: at least the agents' reconnect window
   * (AGENT_RECONNECT_CAP_MS, 15 s) plus one heartbeat, with room for a busy broker.
   */
  ORCHESTRATOR_AGENT_RECONNECT_GRACE_MS: ms(1_000, 600_000, 30_000),
  /** How often an agent's liveness is looked at while it runs a step. */
  ORCHESTRATOR_LIVENESS_CHECK_MS: ms(100, 60_000, 1_000),
  /** How many times an agent command whose reply did not come within its step timeout is sent again. */
  ORCHESTRATOR_COMMAND_RESENDS: z.coerce.number().int().min(0).max(10).default(2),
});
export type OrchestratorEnv = z.infer<typeof orchestratorEnvSchema>;

/** What the service's own code needs from its environment. */
export interface OrchestratorSettings {
  readonly signingKey: SigningKey;
  readonly instanceId: string;
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly agentSilenceMs: number;
  readonly agentReconnectGraceMs: number;
  readonly livenessCheckMs: number;
  readonly commandResends: number;
}

export function orchestratorSettings(env: OrchestratorEnv): OrchestratorSettings {
  return {
    signingKey: env.ORCHESTRATOR_SIGNING_KEY,
    instanceId: env.ORCHESTRATOR_INSTANCE_ID,
    leaseMs: env.ORCHESTRATOR_LEASE_MS,
    pollMs: env.ORCHESTRATOR_POLL_MS,
    agentSilenceMs: env.ORCHESTRATOR_AGENT_SILENCE_MS,
    agentReconnectGraceMs: env.ORCHESTRATOR_AGENT_RECONNECT_GRACE_MS,
    livenessCheckMs: env.ORCHESTRATOR_LIVENESS_CHECK_MS,
    commandResends: env.ORCHESTRATOR_COMMAND_RESENDS,
  };
}

export const ORCHESTRATOR_SETTINGS = Symbol('ORCHESTRATOR_SETTINGS');
