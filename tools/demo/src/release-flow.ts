import { waitFor } from '@conveyor/testing';
import type { BuiltArtifact } from '@conveyor/fleet';
import type { DeploymentView, PipelineClient, PromotionView } from './pipeline-client';

export interface ReleaseActors {
  ci: PipelineClient;
  deployer: PipelineClient;
  approvers: readonly PipelineClient[];
}

export interface DeploymentResult {
  version: string;
  environment: string;
  deploymentId: string;
  status: DeploymentView['status'];
  durationMs: number | null;
  reason: string | null;
}

/**
 * One release as Jenkins and people drive it: the build is reported, then promoted environment by
 * environment; where the manifest asks for approvals, the approvers review the plan and approve it.
 * Stops at the first environment whose deployment does not succeed.
 */
export async function releaseThroughEnvironments(
  actors: ReleaseActors,
  release: { service: string; artifact: BuiltArtifact; url: string; buildNumber: number },
  environments: readonly string[],
  log: (line: string) => void,
): Promise<DeploymentResult[]> {
  const { artifact } = release;
  await actors.ci.reportBuild({
    service: release.service,
    version: artifact.version,
    commit: artifact.sha256.slice(0, 12),
    buildNumber: release.buildNumber,
    artifact: { url: release.url, sha256: artifact.sha256, size: artifact.size },
  });
  log(
    `Jenkins build #${release.buildNumber}: ${release.service} ${artifact.version} reported (sha256 ${artifact.sha256.slice(0, 12)}…)`,
  );
  const results: DeploymentResult[] = [];
  for (const environment of environments) {
    let promotion = await actors.deployer.promote(release.service, artifact.version, environment);
    if (promotion.approvals.missing > 0) {
      const { planHash, artifact: reviewed } = await actors.approvers[0].plan(promotion.id);
      log(
        `${environment}: promotion needs ${promotion.approvals.required} approvals; plan ${planHash.slice(0, 12)}… reviewed`,
      );
      for (const approver of actors.approvers.slice(0, promotion.approvals.missing)) {
        promotion = await approver.approve(promotion.id, planHash, reviewed.sha256);
      }
    }
    const deploymentId = await waitForDeployment(actors.deployer, promotion);
    log(`${environment}: deployment ${deploymentId} of ${artifact.version} started`);
    const deployment = await followDeployment(actors.deployer, deploymentId, environment, log);
    results.push({
      version: artifact.version,
      environment,
      deploymentId,
      status: deployment.status,
      durationMs: deployment.durationMs,
      reason: deployment.outcome?.reason ?? null,
    });
    log(
      `${environment}: ${artifact.version} ${deployment.status}${deployment.outcome?.reason ? ` — ${deployment.outcome.reason}` : ''}`,
    );
    if (deployment.status !== 'succeeded') break;
  }
  return results;
}

async function waitForDeployment(client: PipelineClient, promotion: PromotionView): Promise<string> {
  return waitFor(
    `promotion ${promotion.id} to request its deployment`,
    async () => (await client.promotion(promotion.id)).deploymentId ?? undefined,
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}

const TERMINAL = new Set(['succeeded', 'failed', 'rolled_back', 'aborted', 'rejected']);

/** Polls the read model until the deployment ends, printing each server's step as it changes. */
async function followDeployment(
  client: PipelineClient,
  deploymentId: string,
  environment: string,
  log: (line: string) => void,
): Promise<DeploymentView> {
  const seen = new Map<string, string>();
  return waitFor(
    `deployment ${deploymentId} to finish`,
    async () => {
      const view = await client.deployment(deploymentId).catch(() => undefined);
      if (!view) return undefined;
      for (const [server, state] of Object.entries(view.servers)) {
        const line = `${state.step}${state.detail ? ` (${state.detail})` : ''}`;
        if (seen.get(server) !== line) {
          seen.set(server, line);
          log(`  ${environment} ${server}: ${line}`);
        }
      }
      return TERMINAL.has(view.status) ? view : undefined;
    },
    { timeoutMs: 600_000, intervalMs: 250 },
  );
}
