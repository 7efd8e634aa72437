import { stringify } from 'yaml';
import type { RunningFleet } from '@conveyor/fleet';

/**
 * The sample service's manifest: one HAProxy pool and the listed servers per environment; checks go
 * through each pool's maintenance frontend (`maintenance`: environment → host:port), as testers'
 * would, where it is given.
 */
export function sampleManifest(
  service: string,
  fleets: Record<string, RunningFleet>,
  productionServers: number,
  maintenance: Record<string, string> = {},
): string {
  const environments: Record<string, unknown> = {};
  for (const [name, fleet] of Object.entries(fleets)) {
    const production = name === 'prod';
    environments[name] = {
      pool: `${service}-${name}`,
      servers: fleet.servers.map((server) => ({ id: server.id, address: `127.0.0.1:${server.port}` })),
      strategy: production
        ? {
            batchSize: productionServers >= 6 ? 2 : 1,
            canary: 1,
            minHealthy: productionServers - (productionServers >= 6 ? 2 : 1),
            drainTimeoutSeconds: 15,
            onFailure: 'rollback',
            stepTimeoutSeconds: 120,
          }
        : { batchSize: 1, minHealthy: 0, drainTimeoutSeconds: 15, stepTimeoutSeconds: 120 },
      verification: {
        health: {
          path: '/health',
          expectStatus: 200,
          versionField: 'version',
          intervalMs: 200,
          timeoutSeconds: 20,
        },
        timeoutSeconds: 120,
        ...(maintenance[name] === undefined ? {} : { maintenance: { address: maintenance[name] } }),
      },
      approvals: production
        ? { required: 2, separationOfDuties: true, expiresAfterHours: 24 }
        : { required: 0 },
    };
  }
  return stringify({ service, description: 'The sample HTTP service of the local fleet.', environments });
}
