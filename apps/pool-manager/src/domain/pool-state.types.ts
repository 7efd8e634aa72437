import type { StatStatus } from '@conveyor/haproxy';

/** An HAProxy server's administrative state, as set over the Runtime API. */
export type AdminState = 'ready' | 'drain' | 'maint';

/** The two backends of a pool: customers reach `online`, testers and the verifier `maintenance`. */
export type BackendRole = 'online' | 'maintenance';
export const BACKEND_ROLES: readonly BackendRole[] = ['online', 'maintenance'];

/** What the pool manager wants a server to be in each backend of its pool, on every instance. */
export interface ServerIntent {
  readonly server: string;
  readonly online: AdminState;
  readonly maintenance: AdminState;
}

/** One server of one backend on one instance, as HAProxy reports it now. */
export interface LiveServer {
  readonly server: string;
  readonly admin: AdminState;
  readonly status: StatStatus;
  /** HAProxy's own status text, e.g. "UP 1/2", "MAINT". */
  readonly statusText: string;
  /** UP with no health transition under way (the health check confirmed it), or not checked at all. */
  readonly healthyUp: boolean;
  readonly sessions: number;
  readonly weight: number | undefined;
}

export interface BackendSnapshot {
  readonly role: BackendRole;
  readonly backend: string;
  /** False when the instance has no such backend. */
  readonly present: boolean;
  readonly servers: readonly LiveServer[];
}

/** A pool's two backends on one instance. */
export interface InstanceSnapshot {
  readonly instance: string;
  readonly backends: Readonly<Record<BackendRole, BackendSnapshot>>;
}

/** One Runtime API state change: `set server <backend>/<server> state <state>` on an instance. */
export interface StateCommand {
  readonly instance: string;
  readonly role: BackendRole;
  readonly backend: string;
  readonly server: string;
  readonly state: AdminState;
}
