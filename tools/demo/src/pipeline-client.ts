/** What the demo calls on the pipeline API, as Jenkins and people would. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  }
}

export interface PromotionView {
  id: string;
  status: string;
  deploymentId: string | null;
  planHash: string | null;
  approvals: { required: number; missing: number; valid: string[] };
}

export interface DeploymentView {
  id: string;
  status:
    | 'requested'
    | 'running'
    | 'paused'
    | 'succeeded'
    | 'failed'
    | 'rolled_back'
    | 'aborted'
    | 'rejected';
  version: string | null;
  environment: string | null;
  durationMs: number | null;
  batches: { index: number; kind: string; servers: string[]; status: string }[];
  servers: Record<string, { step: string; detail: string | null }>;
  outcome: { status: string; reason: string | null; step: string | null; serverId: string | null } | null;
}

export class PipelineClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  as(token: string): PipelineClient {
    return new PipelineClient(this.baseUrl, token);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new ApiError(response.status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  async createToken(name: string, role: string): Promise<string> {
    const created = await this.request<{ token: string }>('POST', '/tokens', { name, role });
    return created.token;
  }

  applyManifest(service: string, yaml: string): Promise<{ version: number }> {
    return this.request('PUT', `/services/${service}`, yaml, 'application/yaml');
  }

  /** A Jenkins build: the run, its stages, its artifact. */
  async reportBuild(build: {
    service: string;
    version: string;
    commit: string;
    buildNumber: number;
    artifact: { url: string; sha256: string; size: number };
  }): Promise<void> {
    const run = await this.request<{ id: string }>('POST', '/runs', {
      service: build.service,
      version: build.version,
      commit: build.commit,
      branch: 'main',
      jobUrl: `https://jenkins.example.internal/job/${build.service}/${build.buildNumber}/`,
      buildNumber: build.buildNumber,
    });
    const now = new Date().toISOString();
    for (const name of ['compile', 'unit tests', 'package']) {
      await this.request('POST', `/runs/${run.id}/stages`, {
        name,
        status: 'succeeded',
        startedAt: now,
        finishedAt: now,
        ...(name === 'unit tests' ? { tests: { total: 412, failed: 0, skipped: 3 } } : {}),
      });
    }
    await this.request('POST', `/runs/${run.id}/artifacts`, build.artifact);
  }

  promote(service: string, version: string, environment: string): Promise<PromotionView> {
    return this.request('POST', '/promotions', { service, version, environment });
  }

  promotion(id: string): Promise<PromotionView> {
    return this.request('GET', `/promotions/${id}`);
  }

  plan(id: string): Promise<{ planHash: string; artifact: { sha256: string } }> {
    return this.request('GET', `/promotions/${id}/plan`);
  }

  /** Approves bound to the plan hash and the artifact sha256 the approver reviewed. */
  approve(id: string, planHash: string, artifactSha256: string): Promise<PromotionView> {
    return this.request('POST', `/promotions/${id}/approvals`, { planHash, artifactSha256 });
  }

  deployment(id: string): Promise<DeploymentView> {
    return this.request('GET', `/deployments/${id}`);
  }
}
