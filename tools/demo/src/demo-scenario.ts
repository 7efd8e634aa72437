import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFile } from 'node:fs/promises';
import { verifyExport } from '@conveyor/audit-chain';
import { setUpDemoEnvironment, type DemoEnvironment } from './demo-environment';
import { LoadGenerator, type LoadFigures } from './load-generator';
import { PipelineClient } from './pipeline-client';
import { makeRefusedCalls, refusedCallsMissing } from './refused-calls';
import { releaseThroughEnvironments, type DeploymentResult } from './release-flow';
import { sampleManifest } from './sample-manifest';

export interface DemoOptions {
  workDir: string;
  /** Servers in production (dev, qa and staging have one each). */
  productionServers: number;
  loadConcurrency: number;
  log: (line: string) => void;
}

export interface DemoCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DemoSummary {
  load: LoadFigures;
  deployments: DeploymentResult[];
  serverVersions: Record<string, string>;
  audit: { verified: boolean; entries: number; detail: string };
  checks: DemoCheck[];
  ok: boolean;
}

const SERVICE = 'sample-app';

/**
 * The whole promise, end to end: builds reported as Jenkins would, promoted dev → qa → staging → prod
 * with two approvals, rolled out batch by batch over real HAProxy while customer traffic flows; v1, then
 * v2, then a v3 that breaks only with production's configuration and is rolled back on its canary.
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const { log } = options;
  const environments = [
    { name: 'dev', idPrefix: 'dev', servers: 1 },
    { name: 'qa', idPrefix: 'qa', servers: 1 },
    { name: 'staging', idPrefix: 'stg', servers: 1 },
    { name: 'prod', idPrefix: 'web', servers: options.productionServers },
  ];
  const env = await setUpDemoEnvironment({
    workDir: options.workDir,
    environments,
    initialVersion: '0.9.0',
    log,
  });
  const load = new LoadGenerator({
    url: env.haproxy['prod'].onlineUrl,
    concurrency: options.loadConcurrency,
    slowShare: 0.25,
  });
  try {
    const admin = new PipelineClient(env.services.pipeline.url, env.adminToken);
    const ciToken = await admin.createToken('jenkins', 'ci');
    const actors = {
      ci: admin.as(ciToken),
      deployer: admin.as(await admin.createToken('release-manager', 'deployer')),
      approvers: [
        admin.as(await admin.createToken('alice', 'approver')),
        admin.as(await admin.createToken('bob', 'approver')),
      ],
    };
    // The auditor is a person too: the audit service learns the token from the pipeline's events.
    const auditorToken = await admin.createToken('audrey', 'auditor');
    await actors.deployer.applyManifest(
      SERVICE,
      sampleManifest(
        SERVICE,
        env.fleets,
        options.productionServers,
        Object.fromEntries(
          Object.entries(env.haproxy).map(([name, haproxy]) => [
            name,
            `127.0.0.1:${haproxy.maintenancePort}`,
          ]),
        ),
      ),
    );
    log(
      `manifest of ${SERVICE} applied: ${environments.map((e) => e.name).join(' → ')}; prod needs 2 approvals`,
    );

    const refused = await makeRefusedCalls(env.services.pipeline.url, ciToken);
    log(`refused by the API, to be found in the audit log: ${refused.map((call) => call.what).join('; ')}`);

    load.start();
    log(
      `customer traffic through HAProxy ${env.haproxy['prod'].onlineUrl}: ${options.loadConcurrency} clients, 25% held 0.5–2 s`,
    );
    const order = environments.map((e) => e.name);
    const deployments: DeploymentResult[] = [];
    const releases = [
      { version: '1.0.0', broken: undefined },
      { version: '2.0.0', broken: undefined },
      { version: '3.0.0', broken: { onServersPrefixed: 'web-' } },
    ];
    for (const [i, release] of releases.entries()) {
      const artifact = await env.buildArtifact(release.version, release.broken);
      log(`— release ${release.version}${release.broken ? ' (broken with production configuration)' : ''}`);
      deployments.push(
        ...(await releaseThroughEnvironments(
          actors,
          { service: SERVICE, artifact, url: env.artifactUrl(artifact), buildNumber: 100 + i },
          order,
          log,
        )),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const figures = await load.stop();
    const serverVersions = await currentVersions(env);
    const audit = await verifyAuditExport(env, options.workDir, auditorToken);
    const unrecorded = await refusedCallsMissing(audit.exportPath, refused);
    const checkedThroughMaintenance = await requestsThroughMaintenance(env, 'prod');
    const checks = [
      ...judge(figures, deployments, serverVersions, audit, options.productionServers),
      {
        // Only the verifier sends requests to the maintenance frontend (HAProxy's own health checks are not sessions).
        name: "every production server was checked through HAProxy's maintenance backend",
        ok: Object.values(checkedThroughMaintenance).every((sessions) => sessions > 0),
        detail: Object.entries(checkedThroughMaintenance)
          .map(([server, sessions]) => `${server}=${sessions}`)
          .join(' '),
      },
      {
        name: 'refused API calls are in the audit log',
        ok: unrecorded.length === 0,
        detail: unrecorded.length === 0 ? `${refused.length} found` : `missing: ${unrecorded.join('; ')}`,
      },
    ];
    return { load: figures, deployments, serverVersions, audit, checks, ok: checks.every((c) => c.ok) };
  } finally {
    await load.stop();
    await env.tearDown();
  }
}

/** Requests each server of `environment` was sent through the maintenance backend so far (`stot`). */
async function requestsThroughMaintenance(
  env: DemoEnvironment,
  environment: string,
): Promise<Record<string, number>> {
  const haproxy = env.haproxy[environment];
  const rows = await haproxy.client.showStat();
  return Object.fromEntries(
    rows
      .filter((row) => row.type === 'server' && row.proxy === haproxy.maintenanceBackend)
      .map((row) => [row.name, row.totalSessions]),
  );
}

export async function currentVersions(env: DemoEnvironment): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const fleet of Object.values(env.fleets)) {
    for (const server of fleet.servers) {
      const answer = await fetch(`http://127.0.0.1:${server.port}/version`).catch(() => undefined);
      versions[server.id] = answer?.ok
        ? String(((await answer.json()) as { version: string }).version)
        : 'not answering';
    }
  }
  return versions;
}

/** Exports the whole audit log with its signed manifest and verifies it offline with the public key only. */
export async function verifyAuditExport(
  env: DemoEnvironment,
  workDir: string,
  auditorToken: string,
): Promise<DemoSummary['audit'] & { exportPath: string }> {
  const headers = { authorization: `Bearer ${auditorToken}` };
  const base = env.services.audit.url;
  const exportPath = join(workDir, 'audit-export.ndjson');
  const manifestPath = join(workDir, 'audit-export.manifest.json');
  const response = await fetch(`${base}/audit/export?format=ndjson`, { headers });
  if (!response.ok || !response.body)
    return { verified: false, entries: 0, detail: `export answered HTTP ${response.status}`, exportPath };
  const exportId = response.headers.get('x-audit-export-id');
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(exportPath));
  const manifest = await fetch(`${base}/audit/exports/${exportId}/manifest`, { headers });
  await writeFile(manifestPath, await manifest.text());
  const report = await verifyExport({ exportPath, manifestPath, publicKeyPem: env.auditPublicKeyPem });
  return {
    exportPath,
    verified: report.ok,
    entries: report.ok ? report.count : 0,
    detail: report.ok
      ? `${report.count} entries, head ${(report.headHash ?? '').slice(0, 12)}…`
      : JSON.stringify(report).slice(0, 500),
  };
}

function judge(
  load: LoadFigures,
  deployments: DeploymentResult[],
  versions: Record<string, string>,
  audit: DemoSummary['audit'],
  productionServers: number,
): DemoCheck[] {
  const prod = (version: string) =>
    deployments.find((d) => d.version === version && d.environment === 'prod');
  const prodVersions = Object.entries(versions).filter(([id]) => id.startsWith('web-'));
  return [
    {
      name: 'no customer request failed',
      ok: load.failed === 0 && load.sent > 0,
      detail: `${load.failed} of ${load.sent} failed`,
    },
    {
      name: '1.0.0 reached production',
      ok: prod('1.0.0')?.status === 'succeeded',
      detail: String(prod('1.0.0')?.status),
    },
    {
      name: '2.0.0 reached production',
      ok: prod('2.0.0')?.status === 'succeeded',
      detail: String(prod('2.0.0')?.status),
    },
    {
      name: '3.0.0 was rolled back on its production canary',
      ok: prod('3.0.0')?.status === 'rolled_back',
      detail: `${prod('3.0.0')?.status}: ${prod('3.0.0')?.reason ?? ''}`,
    },
    {
      name: 'every production server serves 2.0.0',
      ok: prodVersions.length === productionServers && prodVersions.every(([, v]) => v === '2.0.0'),
      detail: prodVersions.map(([id, v]) => `${id}=${v}`).join(' '),
    },
    { name: 'the audit export verifies offline', ok: audit.verified, detail: audit.detail },
  ];
}
