import { environmentOrder, type FrozenApprovalPolicy, type ServiceManifest } from '@conveyor/contracts';

/**
 * The approval rule that applies to a promotion to `environment`, as the manifest says now: frozen
 * on the promotion when it is requested, and judged against from then on. Pure. Null when the
 * manifest has no such environment.
 */
export function freezeApprovalPolicy(
  manifest: ServiceManifest,
  manifestVersion: number,
  environment: string,
  approverRoles: readonly string[],
): FrozenApprovalPolicy | null {
  const spec = manifest.environments[environment];
  if (!spec) return null;
  const order = environmentOrder(manifest);
  const index = order.indexOf(environment);
  return {
    environment,
    manifestVersion,
    required: spec.approvals.required,
    separationOfDuties: spec.approvals.separationOfDuties,
    expiresAfterHours: spec.approvals.expiresAfterHours,
    approverRoles: [...approverRoles],
    environmentOrder: order,
    previousEnvironment: index > 0 ? (order[index - 1] ?? null) : null,
  };
}
