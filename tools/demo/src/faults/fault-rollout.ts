import { waitFor } from '@conveyor/testing';
import type { BuiltArtifact } from '@conveyor/fleet';
import type { DemoEnvironment } from '../demo-environment';
import type { DeploymentView, PipelineClient } from '../pipeline-client';
import type { ReleaseActors } from '../release-flow';
import { FloorWatch, type FloorFigures } from './floor-watch';

/**
 * A server reaching a step of the rollout. `deploying` and `rolling_back` are taken from the agent
 * itself: the moment its log says it started running that step of this deployment (the read model
 * trails the agent by the whole event path, seconds on a loaded machine). Other steps are taken
 * from the pipeline's read model: the first time the server is seen at that step or a later one of
 * its way through the batch (it is polled every 100 ms and may skip a short step).
 */
export interface Moment {
  server: string;
  step: DeploymentView['servers'][string]['step'];
}

export interface Fault {
  name: string;
  at: Moment;
  /** Waits this long after the moment before injecting (e.g. to be well inside a step). */
  delayMs?: number;
  /** How long each deploy holds its server in after-install (default 3 s, so every moment can be caught). */
  deploySeconds?: number;
  /**
   * What the run must end in: `succeeded`, or any terminal outcome that tells the truth (the
   * versions it reports for each server are what the servers serve) — a deploy cut short on its
   * server may fail the deployment, by its failure policy, but must never misreport it.
   */
  expect: 'succeeded' | 'truthful';
  /**
   * Injects the fault (or an operator's control); runs beside the rollout. Returns observations to
   * report (e.g. states seen).
   */
  inject(env: DemoEnvironment, deploymentId: string): Promise<string[]>;
}

export interface FaultRun {
  fault: string;
  version: string;
  deploymentId: string;
  status: DeploymentView['status'];
  reason: string | null;
  serverId: string | null;
  durationMs: number;
  /** Milliseconds after the deployment started that the fault was injected; null if the moment never came. */
  injectedAfterMs: number | null;
  observations: string[];
  /** What every server answers on /version after the end. */
  versions: Record<string, string>;
  /** Each server's status in the customer-facing backend after the end. */
  pool: Record<string, string>;
  floor: FloorFigures;
  /** Step ids the agents ran more than once, with the count. */
  stepsRunTwice: string[];
  /**
   * What the recorded outcome says each server serves: the new version everywhere for
   * `succeeded`, the servers listed in the reason of `failed`, and null for `rolled_back` (no
   * server on the new version: the check is that none serves it).
   */
  reported: Record<string, string> | null;
}

const TERMINAL = new Set(['succeeded', 'failed', 'rolled_back', 'aborted', 'rejected']);

/** A server's way through its batch; a rollback is a way of its own. */
const WAYS: readonly (readonly string[])[] = [
  ['draining', 'drained', 'deploying', 'deployed', 'verifying', 'verified', 'enabling', 'online'],
  ['rolling_back', 'held', 'failed'],
];

/** The moments taken from the agent's own log, and the kind of step its log names. */
const AGENT_STEPS: Partial<Record<Moment['step'], 'deploy' | 'rollback'>> = {
  deploying: 'deploy',
  rolling_back: 'rollback',
};

/** Whether `server`'s agent has logged that it runs a `kind` step of this deployment. */
function agentStarted(
  env: DemoEnvironment,
  server: string,
  kind: 'deploy' | 'rollback',
  deploymentId: string,
): boolean {
  return env.fleets['prod']
    .agent(server)
    .output()
    .split('\n')
    .some(
      (line) =>
        line.includes('"msg":"running step"') &&
        line.includes(`"kind":"${kind}"`) &&
        line.includes(`"stepId":"${deploymentId}.`),
    );
}

function reached(step: string | undefined, moment: Moment): boolean {
  if (step === undefined) return false;
  if (step === moment.step) return true;
  const way = WAYS.find((steps) => steps.includes(moment.step));
  return way !== undefined && way.indexOf(step) > way.indexOf(moment.step) && way.includes(step);
}

/**
 * One production release with one fault: the build is reported, promoted, approved by two
 * approvers; when the moment comes (a server reaching a step) the fault is injected while the
 * rollout goes on; then everything a user would check is gathered from the outside — what each
 * server serves, what HAProxy routes to, the floor as HAProxy saw it every 100 ms, how often the
 * agents ran each step.
 */
export async function rolloutWithFault(
  env: DemoEnvironment,
  actors: ReleaseActors,
  release: { service: string; artifact: BuiltArtifact; buildNumber: number; floor: number },
  fault: Fault,
  timeoutMs: number,
): Promise<FaultRun> {
  const { artifact } = release;
  const haproxy = env.haproxy['prod'];
  await actors.ci.reportBuild({
    service: release.service,
    version: artifact.version,
    commit: artifact.sha256.slice(0, 12),
    buildNumber: release.buildNumber,
    artifact: { url: env.artifactUrl(artifact), sha256: artifact.sha256, size: artifact.size },
  });
  let promotion = await actors.deployer.promote(release.service, artifact.version, 'prod');
  const { planHash, artifact: reviewed } = await actors.approvers[0].plan(promotion.id);
  for (const approver of actors.approvers.slice(0, promotion.approvals.missing)) {
    promotion = await approver.approve(promotion.id, planHash, reviewed.sha256);
  }
  const deploymentId = await waitFor(
    `promotion ${promotion.id} to request its deployment`,
    async () =>
      (await actors.deployer.promotion(promotion.id).catch(() => undefined))?.deploymentId ?? undefined,
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  const floor = new FloorWatch(haproxy, release.floor);
  floor.start();
  const started = Date.now();
  let injectedAfterMs: number | null = null;
  let injection: Promise<string[]> = Promise.resolve([]);
  let end: DeploymentView;
  try {
    end = await waitFor(
      `deployment ${deploymentId} (${fault.name}) to end`,
      async () => {
        const agentStep = AGENT_STEPS[fault.at.step];
        const agentDue =
          agentStep !== undefined && agentStarted(env, fault.at.server, agentStep, deploymentId);
        const view = await read(actors.deployer, deploymentId);
        if (view === undefined) return undefined;
        const due =
          agentStep === undefined ? reached(view.servers[fault.at.server]?.step, fault.at) : agentDue;
        if (injectedAfterMs === null && due) {
          injectedAfterMs = Date.now() - started + (fault.delayMs ?? 0);
          injection = new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 0))
            .then(() => fault.inject(env, deploymentId))
            .catch((error: unknown) => [`injection failed: ${String(error)}`]);
        }
        return TERMINAL.has(view.status) ? view : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } finally {
    // Whatever happened, the fault ends (services restarted, broker and database back) before the next run.
    await injection;
  }
  const observations = await injection;
  const figures = await floor.stop();
  return {
    fault: fault.name,
    version: artifact.version,
    deploymentId,
    status: end.status,
    reason: end.outcome?.reason ?? null,
    serverId: end.outcome?.serverId ?? null,
    durationMs: Date.now() - started,
    injectedAfterMs,
    observations,
    versions: await serverVersions(env),
    pool: await poolStates(env),
    floor: figures,
    stepsRunTwice: stepsRunTwice(env, deploymentId),
    reported: reportedVersions(env, end, artifact.version),
  };
}

/** The servers' versions as the recorded outcome states them (see `FaultRun.reported`). */
function reportedVersions(
  env: DemoEnvironment,
  end: DeploymentView,
  version: string,
): Record<string, string> | null {
  if (end.status === 'succeeded')
    return Object.fromEntries(env.fleets['prod'].servers.map((server) => [server.id, version]));
  const listed = /servers: (.*)$/.exec(end.outcome?.reason ?? '')?.[1];
  if (listed === undefined) return null;
  return Object.fromEntries(
    [...listed.matchAll(/([A-Za-z0-9._-]+) (unknown version|previous version|[^ ,]+) \(/g)].map((match) => [
      match[1],
      match[2],
    ]),
  );
}

/** The read model, or undefined while the pipeline cannot answer (a fault may be taking it away). */
async function read(client: PipelineClient, deploymentId: string): Promise<DeploymentView | undefined> {
  return client.deployment(deploymentId).catch(() => undefined);
}

async function serverVersions(env: DemoEnvironment): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const server of env.fleets['prod'].servers) {
    const answer = await fetch(`http://127.0.0.1:${server.port}/version`).catch(() => undefined);
    versions[server.id] = answer?.ok
      ? String(((await answer.json()) as { version: string }).version)
      : 'not answering';
  }
  return versions;
}

/** Each server's status in the customer-facing backend, once HAProxy's health checks have settled. */
export async function poolStates(env: DemoEnvironment): Promise<Record<string, string>> {
  const haproxy = env.haproxy['prod'];
  const rows = await haproxy.client.showStat();
  return Object.fromEntries(
    rows
      .filter((row) => row.type === 'server' && row.proxy === haproxy.onlineBackend)
      .map((row) => [row.name, row.status.status]),
  );
}

/** Step ids of this deployment an agent started more than once (from the agents' own logs). */
function stepsRunTwice(env: DemoEnvironment, deploymentId: string): string[] {
  const counts = new Map<string, number>();
  for (const agent of env.fleets['prod'].agents) {
    for (const line of agent.output().split('\n')) {
      if (!line.includes('"msg":"running step"')) continue;
      const stepId = /"stepId":"([^"]+)"/.exec(line)?.[1];
      if (stepId === undefined || !stepId.startsWith(deploymentId)) continue;
      const key = `${agent.server.id} ${stepId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
}
