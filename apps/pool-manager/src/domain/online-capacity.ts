import { capacityGuard, type CapacityDecision } from '@conveyor/planner';
import type { InstanceSnapshot, ServerIntent } from './pool-state.types';
import { findLiveServer } from './instance-snapshot';

/**
 * The servers customers can reach in the online backend: UP (or unchecked) and ready on every instance of
 * the pool, and meant to be ready (a server a reload put back UP against its intent is not counted).
 */
export function onlineServerIds(
  snapshots: readonly InstanceSnapshot[],
  intents: readonly ServerIntent[],
): string[] {
  if (snapshots.length === 0) return [];
  const intended = new Map(intents.map((intent) => [intent.server, intent.online]));
  return snapshots[0].backends.online.servers
    .map((server) => server.server)
    .filter((server) => (intended.get(server) ?? 'ready') === 'ready')
    .filter((server) =>
      snapshots.every((snapshot) => {
        const live = findLiveServer(snapshot, 'online', server);
        return (
          live !== undefined && (live.status === 'UP' || live.status === 'NO_CHECK') && live.admin === 'ready'
        );
      }),
    );
}

/** May these servers leave the online backend without the pool falling below `minHealthy`? */
export function checkDrainCapacity(
  snapshots: readonly InstanceSnapshot[],
  intents: readonly ServerIntent[],
  servers: readonly string[],
  minHealthy: number,
): { decision: CapacityDecision; onlineIds: string[] } {
  const onlineIds = onlineServerIds(snapshots, intents);
  return { decision: capacityGuard({ onlineIds, floor: minHealthy }, { takeOutIds: servers }), onlineIds };
}
