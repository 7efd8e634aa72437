import {
  refuse,
  type BatchCapacity,
  type BatchKind,
  type BatchSizeLimit,
  type PlanRefusal,
  type ResolvedStrategy,
} from './rollout-plan.types';

/** A batch before its duration is estimated. */
export interface LaidOutBatch {
  readonly index: number;
  readonly kind: BatchKind;
  readonly serverIds: readonly string[];
  readonly capacity: BatchCapacity;
}

export interface BatchLayoutInput {
  /** Servers still to deploy that are UP in the online pool, in deployment order. */
  readonly healthyIds: readonly string[];
  /** Servers still to deploy that are already out of the online pool. */
  readonly unhealthyIds: readonly string[];
  /** UP servers in the online pool now (deployed, excluded and still-to-deploy ones). */
  readonly onlineCount: number;
  readonly strategy: ResolvedStrategy;
  /** Human form of minHealthy for messages, e.g. "50% (3 servers)". */
  readonly floorLabel: string;
  readonly withCanary: boolean;
  readonly firstIndex: number;
}

export type BatchLayout =
  | {
      readonly ok: true;
      readonly batches: readonly LaidOutBatch[];
      readonly effectiveBatchSize: number;
      readonly limitedBy: BatchSizeLimit;
    }
  | PlanRefusal;

function capacityWhileOut(onlineCount: number, takenOut: number, strategy: ResolvedStrategy): BatchCapacity {
  const onlineDuring = onlineCount - takenOut;
  return {
    onlineBefore: onlineCount,
    takenOut,
    onlineDuring,
    floor: strategy.floor,
    headroom: onlineDuring - strategy.floor,
    maxUnavailable: strategy.maxUnavailable,
  };
}

function floorRefusal(input: BatchLayoutInput): PlanRefusal {
  const { onlineCount, strategy, floorLabel, healthyIds } = input;
  const left = `${healthyIds.length} healthy server${healthyIds.length === 1 ? ' is' : 's are'} still to deploy`;
  const reason =
    onlineCount < strategy.floor
      ? `${onlineCount} healthy of ${strategy.fleetSize} servers is already below minHealthy ${floorLabel}: no server can be taken out (${left})`
      : `${onlineCount} healthy of ${strategy.fleetSize} servers with minHealthy ${floorLabel}: taking out even one server leaves ${onlineCount - 1} online (${left})`;
  return refuse('floor_unreachable', reason, 'strategy.minHealthy');
}

/** What keeps the batches smaller than asked for; a batch larger than the servers left is not "limited". */
function limitOf(strategy: ResolvedStrategy, room: number, healthyLeft: number): BatchSizeLimit {
  const wanted = Math.min(strategy.batchSize, healthyLeft);
  if (wanted <= strategy.maxUnavailable && wanted <= room) return 'batchSize';
  return strategy.maxUnavailable <= room ? 'maxUnavailable' : 'minHealthy';
}

/**
 * Cuts the servers still to deploy into batches: an optional canary, regular batches of the
 * clamped size, then one final batch of servers already out of the pool (they cost no capacity).
 * Each batch that takes online servers out keeps `onlineDuring >= floor` and
 * `takenOut <= maxUnavailable`; when even one server cannot be taken out the layout is refused.
 */
export function layOutBatches(input: BatchLayoutInput): BatchLayout {
  const { healthyIds, unhealthyIds, onlineCount, strategy } = input;
  const room = onlineCount - strategy.floor;
  const effectiveBatchSize = Math.max(0, Math.min(strategy.batchSize, strategy.maxUnavailable, room));
  if (healthyIds.length > 0 && effectiveBatchSize < 1) return floorRefusal(input);

  const batches: LaidOutBatch[] = [];
  const push = (kind: BatchKind, serverIds: readonly string[], takenOut: number): void => {
    batches.push({
      index: input.firstIndex + batches.length,
      kind,
      serverIds,
      capacity: capacityWhileOut(onlineCount, takenOut, strategy),
    });
  };

  let next = 0;
  const canarySize = Math.min(strategy.canarySize, strategy.maxUnavailable, room);
  if (input.withCanary && canarySize > 0 && healthyIds.length > 0) {
    const canary = healthyIds.slice(0, canarySize);
    push('canary', canary, canary.length);
    next = canary.length;
  }
  while (next < healthyIds.length) {
    const batch = healthyIds.slice(next, next + effectiveBatchSize);
    push('regular', batch, batch.length);
    next += batch.length;
  }
  if (unhealthyIds.length > 0) push('unhealthy', [...unhealthyIds], 0);

  return { ok: true, batches, effectiveBatchSize, limitedBy: limitOf(strategy, room, healthyIds.length) };
}
