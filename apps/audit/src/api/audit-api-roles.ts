import type { ApiRole } from '@conveyor/contracts';

/** Who may use the auditor API: auditors, and admins. Deployers, approvers and ci may not. */
export const AUDIT_API_ROLES: readonly ApiRole[] = ['auditor', 'admin'];
