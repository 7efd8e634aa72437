import { API_ROLES, type ApiRole } from '@conveyor/contracts';

/** The roles are shared with every service (libs/contracts), which checks them on its own API. */
export const ROLES = API_ROLES;
export type Role = ApiRole;

/** Every authenticated role may read. */
export const READERS: readonly Role[] = ROLES;

/** Who may do what (admin may do everything). */
export const PERMISSIONS = {
  read: READERS,
  manageManifests: ['deployer', 'admin'],
  reportBuilds: ['ci', 'deployer', 'admin'],
  /** ci only to environments without approvals; checked again by the promotion service. */
  requestPromotions: ['ci', 'deployer', 'admin'],
  approve: ['approver', 'admin'],
  controlDeployments: ['deployer', 'admin'],
  manageTokens: ['admin'],
  /** Sends dead letters back to a service (`conveyor dead-letters replay`). */
  replayDeadLetters: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** Who is calling: the token's holder and role. */
export interface Caller {
  tokenId: string | null;
  /** The actor recorded in events and the identity used for separation of duties. */
  name: string;
  role: Role;
}

export function mayPromoteTo(
  role: Role,
  approvalsRequired: number,
): { ok: true } | { ok: false; reason: string } {
  if (role !== 'ci' || approvalsRequired === 0) return { ok: true };
  return {
    ok: false,
    reason: `role ci may only promote to environments without approvals; this one needs ${approvalsRequired} (use a deployer token)`,
  };
}
