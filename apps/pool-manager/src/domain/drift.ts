import { findLiveServer } from './instance-snapshot';
import {
  BACKEND_ROLES,
  type AdminState,
  type BackendRole,
  type InstanceSnapshot,
  type ServerIntent,
} from './pool-state.types';

/** A server whose live administrative state differs from the intended one on an instance. */
export interface Drift {
  readonly instance: string;
  readonly role: BackendRole;
  readonly backend: string;
  readonly server: string;
  readonly intended: AdminState;
  readonly observedAdmin: AdminState;
  /** e.g. "ready (UP)": what HAProxy shows now. */
  readonly observed: string;
}

/** Compares the intended states with one instance; servers without an intent are left alone. */
export function detectDrift(intents: readonly ServerIntent[], snapshot: InstanceSnapshot): Drift[] {
  const drifts: Drift[] = [];
  for (const intent of intents) {
    for (const role of BACKEND_ROLES) {
      const live = findLiveServer(snapshot, role, intent.server);
      if (!live || live.admin === intent[role]) continue;
      drifts.push({
        instance: snapshot.instance,
        role,
        backend: snapshot.backends[role].backend,
        server: intent.server,
        intended: intent[role],
        observedAdmin: live.admin,
        observed: `${live.admin} (${live.statusText})`,
      });
    }
  }
  // Customers first: a server exposed in the online backend is taken out before anything else.
  return drifts.sort((a, b) => exposure(b) - exposure(a));
}

function exposure(drift: Drift): number {
  return drift.role === 'online' && drift.observedAdmin === 'ready' ? 1 : 0;
}

export function driftKey(drift: Pick<Drift, 'instance' | 'backend' | 'server'>): string {
  return `${drift.instance}/${drift.backend}/${drift.server}`;
}
