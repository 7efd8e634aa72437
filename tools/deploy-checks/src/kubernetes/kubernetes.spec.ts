import { z } from 'zod';
import {
  knownVariables,
  parsePoolsFile,
  serviceEnvSchema,
  SERVICE_NAMES,
  type ServiceName,
} from '../app-config-schemas';
import { readRepoFile, readYamlDocuments, repoPath } from '../repo-files';
import { kubernetesSchemas } from './kubernetes-schemas';
import { renderKustomization, type Manifest } from './kustomize-render';

/** Every pod: non-root, the runtime's default seccomp profile. */
const podSecurity = z.strictObject({
  runAsNonRoot: z.literal(true),
  runAsUser: z.number().int().min(1),
  runAsGroup: z.number().int().min(1),
  fsGroup: z.number().int().min(1),
  seccompProfile: z.strictObject({ type: z.literal('RuntimeDefault') }),
});
const containerSecurity = z.strictObject({
  allowPrivilegeEscalation: z.literal(false),
  readOnlyRootFilesystem: z.literal(true),
  capabilities: z.strictObject({ drop: z.tuple([z.literal('ALL')]) }),
});
/** The subset of the Kubernetes API the Deployments rely on (apps/v1, core/v1). */
/** Readiness: the database and RabbitMQ answer; liveness: the process only (an outage restarts nothing). */
const httpProbe = (path: '/health/ready' | '/health/live') =>
  z.object({
    httpGet: z.strictObject({ path: z.literal(path), port: z.literal('http') }),
    periodSeconds: z.number().int().positive(),
  });
const envVar = z.strictObject({
  name: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
  value: z.string().optional(),
  valueFrom: z
    .union([
      z.strictObject({ secretKeyRef: z.strictObject({ name: z.string(), key: z.string() }) }),
      z.strictObject({ fieldRef: z.strictObject({ fieldPath: z.string() }) }),
    ])
    .optional(),
});
const container = z.object({
  name: z.string(),
  image: z.string().regex(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/, 'must name a tag'),
  ports: z.array(z.strictObject({ name: z.literal('http'), containerPort: z.number().int() })).length(1),
  env: z.array(envVar),
  envFrom: z.array(z.strictObject({ configMapRef: z.strictObject({ name: z.string() }) })).optional(),
  readinessProbe: httpProbe('/health/ready'),
  livenessProbe: httpProbe('/health/live'),
  resources: z.strictObject({
    requests: z.strictObject({ cpu: z.string(), memory: z.string() }),
    limits: z.object({ memory: z.string() }),
  }),
  securityContext: containerSecurity,
  volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() })),
});
const spreadConstraint = z.strictObject({
  maxSkew: z.literal(1),
  topologyKey: z.enum(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']),
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
  labelSelector: z.strictObject({ matchLabels: z.record(z.string(), z.string()) }),
  matchLabelKeys: z.tuple([z.literal('pod-template-hash')]),
});
const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
type LabelSelector = z.infer<typeof labelSelector>;
const pdb = z.object({
  apiVersion: z.literal('policy/v1'),
  kind: z.literal('PodDisruptionBudget'),
  metadata: z.object({ name: z.string() }),
  spec: z.strictObject({
    maxUnavailable: z.literal(1),
    selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()) }),
  }),
});
const ipBlock = z.union([
  z.strictObject({
    ipBlock: z.strictObject({ cidr: z.string(), except: z.array(z.string()).optional() }),
  }),
  // Every pod of the cluster (HAProxy runs outside it).
  z.strictObject({ namespaceSelector: z.strictObject({}) }),
]);
const networkPolicy = z.object({
  apiVersion: z.literal('networking.k8s.io/v1'),
  kind: z.literal('NetworkPolicy'),
  metadata: z.object({ name: z.string() }),
  spec: z.strictObject({
    podSelector: labelSelector,
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])),
    egress: z.array(
      z.strictObject({
        to: z.array(ipBlock),
        ports: z.array(z.strictObject({ protocol: z.literal('TCP'), port: z.number().int() })).optional(),
      }),
    ),
  }),
});
type NetworkPolicy = z.infer<typeof networkPolicy>;
const migrateJob = z.object({
  apiVersion: z.literal('batch/v1'),
  kind: z.literal('Job'),
  metadata: z.object({ name: z.literal('conveyor-migrate') }),
  spec: z.object({
    backoffLimit: z.number().int().min(0),
    template: z.object({
      spec: z.object({
        restartPolicy: z.enum(['OnFailure', 'Never']),
        automountServiceAccountToken: z.literal(false),
        securityContext: podSecurity,
        containers: z.array(
          z.strictObject({
            name: z.string(),
            image: z.string(),
            command: z.array(z.string()),
            env: z.array(envVar),
            resources: z.object({ requests: z.object({}).loose(), limits: z.object({ memory: z.string() }) }),
            securityContext: containerSecurity,
          }),
        ),
      }),
    }),
  }),
});

/** Whether a label selector selects pods with these labels (matchLabels and matchExpressions). */
function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((expression) => {
    const value = labels[expression.key];
    switch (expression.operator) {
      case 'In':
        return value !== undefined && (expression.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(expression.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
    }
  });
  return byLabels && byExpressions;
}

/** The Runtime API addresses of pools.yaml as /32s (`tcp://10.0.4.11:9999` → `10.0.4.11/32`). */
function runtimeApiBlocks(): { cidrs: string[]; ports: number[] } {
  const pools = readYamlDocuments('deploy/k8s/base/pools.yaml')[0] as { instances: { socket: string }[] };
  const sockets = pools.instances.map((instance) => new URL(instance.socket));
  return {
    cidrs: sockets.map((socket) => `${socket.hostname}/32`).sort(),
    ports: [...new Set(sockets.map((socket) => Number(socket.port)))].sort(),
  };
}

const deployment = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()) }),
  spec: z.object({
    replicas: z.number().int().min(1).optional(),
    selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.object({
      metadata: z.object({
        labels: z.record(z.string(), z.string()),
        annotations: z.object({
          'prometheus.io/scrape': z.literal('true'),
          'prometheus.io/port': z.string(),
          'prometheus.io/path': z.literal('/metrics'),
        }),
      }),
      spec: z.object({
        securityContext: podSecurity,
        automountServiceAccountToken: z.literal(false),
        topologySpreadConstraints: z.array(spreadConstraint).length(2),
        containers: z.array(container).length(1),
        volumes: z.array(z.object({ name: z.string() })),
      }),
    }),
  }),
});
type Deployment = z.infer<typeof deployment>;
const service = z.object({
  kind: z.literal('Service'),
  metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()) }),
  spec: z.object({
    selector: z.record(z.string(), z.string()),
    ports: z.array(z.object({ name: z.string(), port: z.number(), targetPort: z.string() })),
  }),
});
const hpa = z.object({
  apiVersion: z.literal('autoscaling/v2'),
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    scaleTargetRef: z.strictObject({
      apiVersion: z.literal('apps/v1'),
      kind: z.literal('Deployment'),
      name: z.string(),
    }),
    minReplicas: z.number().int().min(1),
    maxReplicas: z.number().int(),
  }),
});
const secret = z.object({
  kind: z.literal('Secret'),
  metadata: z.object({ name: z.string() }),
  stringData: z.record(z.string(), z.string()),
});

const SCALABLE = ['pipeline', 'orchestrator', 'verifier'];
const exampleSecrets = readYamlDocuments('deploy/k8s/secrets.example.yaml').map((document) =>
  secret.parse(document),
);

function ofKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((item) => item.kind === kind);
}

describe.each(['deploy/k8s/base', 'deploy/k8s/overlays/staging', 'deploy/k8s/overlays/production'])(
  'Kubernetes manifests of %s',
  (dir) => {
    const manifests = renderKustomization(dir);
    const deployments: Deployment[] = ofKind(manifests, 'Deployment').map((item) => deployment.parse(item));
    const configMaps = ofKind(manifests, 'ConfigMap');

    it('render: every resource, component and generated file exists, and every patch applies', () => {
      expect(manifests.length).toBeGreaterThan(10);
      expect(deployments.map((item) => item.metadata.name).sort()).toEqual([...SERVICE_NAMES].sort());
    });

    it('run every service as non-root, ready on /health/ready and live on /health/live, with resources and a scrape annotation for its port', () => {
      for (const item of deployments) {
        const [main] = item.spec.template.spec.containers;
        expect(item.spec.template.metadata.annotations['prometheus.io/port']).toBe(
          String(main.ports[0].containerPort),
        );
        expect(item.spec.selector.matchLabels).toEqual(
          expect.objectContaining({ 'app.kubernetes.io/name': item.metadata.name }),
        );
        expect(item.spec.template.metadata.labels).toMatchObject(item.spec.selector.matchLabels);
        expect(main.image.split(':')[0]).toBe(`conveyor/${item.metadata.name}`);
        const mounted = new Set(item.spec.template.spec.volumes.map((volume) => volume.name));
        for (const mount of main.volumeMounts)
          expect([item.metadata.name, mount.name, mounted.has(mount.name)]).toEqual([
            item.metadata.name,
            mount.name,
            true,
          ]);
      }
    });

    it('expose every Deployment through a Service on its http port', () => {
      const services = ofKind(manifests, 'Service').map((item) => service.parse(item));
      for (const item of deployments) {
        const match = services.find((candidate) => candidate.metadata.name === item.metadata.name);
        expect(match?.spec.selector).toEqual(item.spec.selector.matchLabels);
        expect(match?.spec.ports.map((port) => port.targetPort)).toEqual(['http']);
      }
    });

    it('scale the competing-consumer services horizontally, and keep pool-manager and audit at one', () => {
      const autoscalers = ofKind(manifests, 'HorizontalPodAutoscaler').map((item) => hpa.parse(item));
      expect(autoscalers.map((item) => item.spec.scaleTargetRef.name).sort()).toEqual([...SCALABLE].sort());
      for (const item of autoscalers)
        expect(item.spec.maxReplicas).toBeGreaterThanOrEqual(item.spec.minReplicas);
      for (const item of deployments) {
        if (SCALABLE.includes(item.metadata.name))
          expect([item.metadata.name, item.spec.replicas]).toEqual([item.metadata.name, undefined]);
        else expect([item.metadata.name, item.spec.replicas]).toEqual([item.metadata.name, 1]);
      }
    });

    it('give every service variables its schema reads, from Secrets and ConfigMaps that exist', () => {
      for (const item of deployments) {
        const [main] = item.spec.template.spec.containers;
        const schema = serviceEnvSchema(item.metadata.name as ServiceName);
        const names = main.env.map((variable) => variable.name);
        for (const from of main.envFrom ?? []) {
          const map = configMaps.find((candidate) => candidate.metadata.name === from.configMapRef.name) as
            | { data?: Record<string, string> }
            | undefined;
          expect([item.metadata.name, from.configMapRef.name, map !== undefined]).toEqual([
            item.metadata.name,
            from.configMapRef.name,
            true,
          ]);
          names.push(...Object.keys(map?.data ?? {}));
        }
        expect([item.metadata.name, names.filter((name) => !knownVariables(schema).includes(name))]).toEqual([
          item.metadata.name,
          [],
        ]);
        expect(names).toEqual(expect.arrayContaining(['AMQP_URL', 'DATABASE_URL', 'PORT']));
        for (const variable of main.env) {
          const ref =
            variable.valueFrom && 'secretKeyRef' in variable.valueFrom
              ? variable.valueFrom.secretKeyRef
              : undefined;
          if (ref === undefined) continue;
          const example = exampleSecrets.find((candidate) => candidate.metadata.name === ref.name);
          expect([item.metadata.name, ref.key, example?.stringData[ref.key] !== undefined]).toEqual([
            item.metadata.name,
            ref.key,
            true,
          ]);
        }
      }
    });

    it('harden every pod: non-root, seccomp RuntimeDefault, read-only root, no privilege escalation, no API token', () => {
      // Parsed by the deployment schema above (podSecurity, containerSecurity); the Job too.
      const job = migrateJob.parse(ofKind(manifests, 'Job')[0]);
      expect(job.spec.template.spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
      for (const item of deployments)
        expect(item.spec.template.spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    });

    it('give every service a PodDisruptionBudget of one instance at a time, selecting its pods', () => {
      const budgets = ofKind(manifests, 'PodDisruptionBudget').map((item) => pdb.parse(item));
      for (const item of deployments) {
        const budget = budgets.find((candidate) => candidate.metadata.name === item.metadata.name);
        expect([item.metadata.name, budget?.spec.selector.matchLabels]).toEqual([
          item.metadata.name,
          item.spec.selector.matchLabels,
        ]);
      }
      expect(budgets).toHaveLength(deployments.length);
    });

    it('spread every service over zones and machines, counting only its own pods', () => {
      for (const item of deployments) {
        const constraints = item.spec.template.spec.topologySpreadConstraints;
        expect(constraints.map((constraint) => constraint.topologyKey)).toEqual([
          'topology.kubernetes.io/zone',
          'kubernetes.io/hostname',
        ]);
        for (const constraint of constraints)
          expect(constraint.labelSelector.matchLabels).toEqual(item.spec.selector.matchLabels);
        // Never two instances of a service on one machine while another machine could take it.
        expect(constraints[1]?.whenUnsatisfiable).toBe('DoNotSchedule');
        expect(constraints[0]?.whenUnsatisfiable).toBe(
          dir.endsWith('production') ? 'DoNotSchedule' : 'ScheduleAnyway',
        );
      }
    });

    it("let only the pool manager reach HAProxy's Runtime API (every instance of pools.yaml)", () => {
      const policies = ofKind(manifests, 'NetworkPolicy').map((item) => networkPolicy.parse(item));
      const runtime = runtimeApiBlocks();
      const podLabels = (item: Deployment) => item.spec.template.metadata.labels;
      const egressOf = (item: Deployment): NetworkPolicy[] =>
        policies.filter(
          (policy) =>
            policy.spec.policyTypes.includes('Egress') && selects(policy.spec.podSelector, podLabels(item)),
        );
      /** Whether any egress rule of the pod's policies lets it reach `cidr` on `port`. */
      const reaches = (item: Deployment, cidr: string, port: number) =>
        egressOf(item).some((policy) =>
          policy.spec.egress.some(
            (rule) =>
              (rule.ports === undefined || rule.ports.some((allowed) => allowed.port === port)) &&
              rule.to.some(
                (peer) =>
                  'ipBlock' in peer &&
                  (peer.ipBlock.cidr === cidr || peer.ipBlock.cidr === '0.0.0.0/0') &&
                  !(peer.ipBlock.except ?? []).includes(cidr),
              ),
          ),
        );
      for (const item of deployments) {
        expect([item.metadata.name, egressOf(item).length > 0]).toEqual([item.metadata.name, true]);
        for (const cidr of runtime.cidrs)
          for (const port of runtime.ports)
            expect([item.metadata.name, cidr, reaches(item, cidr, port)]).toEqual([
              item.metadata.name,
              cidr,
              item.metadata.name === 'pool-manager',
            ]);
      }
      // The migration Job's pods are covered by the same rule.
      const jobLabels = {
        'app.kubernetes.io/name': 'conveyor-migrate',
        'app.kubernetes.io/part-of': 'conveyor',
      };
      expect(policies.some((policy) => selects(policy.spec.podSelector, jobLabels))).toBe(true);
    });

    it("run a migration Job: each service's own image runs its migrations, with its migration login only", () => {
      const job = migrateJob.parse(ofKind(manifests, 'Job')[0]);
      const containers = job.spec.template.spec.containers;
      expect(containers.map((container) => container.name).sort()).toEqual([...SERVICE_NAMES].sort());
      for (const container of containers) {
        const owner = deployments.find((item) => item.metadata.name === container.name);
        expect(container.image).toBe(owner?.spec.template.spec.containers[0].image);
        expect(container.command).toEqual([
          'node',
          '-r',
          './register-aliases.js',
          `dist/apps/${container.name}/src/main.js`,
          'migrate',
        ]);
        // The service's own login (which owns its schema); for the audit service, the schema owner's,
        // which its running pods never see.
        const key =
          container.name === 'audit'
            ? 'DATABASE_MIGRATION_URL_AUDIT'
            : `DATABASE_URL_${container.name.toUpperCase().replace('-', '_')}`;
        expect(container.env).toEqual([
          { name: 'DATABASE_MIGRATION_URL', valueFrom: { secretKeyRef: { name: 'conveyor-secrets', key } } },
        ]);
      }
    });

    const schemas = kubernetesSchemas();
    (schemas.available ? it : it.skip)(
      'validate every object against the Kubernetes schemas (kubernetes-models)',
      () => {
        if (!schemas.available) return;
        const verdicts = manifests.map((item) => ({
          object: `${item.kind}/${item.metadata.name}`,
          verdict: schemas.validate(item),
        }));
        expect(verdicts.filter(({ verdict }) => verdict.ok === false)).toEqual([]);
        // Only custom resources have no schema in the package.
        expect(
          verdicts
            .filter(({ verdict }) => verdict.ok === 'no-schema')
            .map(({ object }) => object.split('/')[0]),
        ).toEqual(dir.endsWith('production') ? ['ServiceMonitor'] : []);
      },
    );

    it('hand the pool manager a pools file it accepts', () => {
      expect(parsePoolsFile(repoPath('deploy/k8s/base/pools.yaml'))).toMatchObject({ ok: true });
      // Kustomize names the generated map with a hash of its content (an edit rolls the pool manager)
      // and rewrites the pool manager's volume to that name.
      const generated = configMaps.find((map) => /^conveyor-pools-[a-z0-9]+$/.test(map.metadata.name)) as
        | (Manifest & { data?: Record<string, string> })
        | undefined;
      expect(generated?.data?.['pools.yaml']).toBe(readRepoFile('deploy/k8s/base/pools.yaml'));
      const poolManager = ofKind(manifests, 'Deployment').find(
        (item) => item.metadata.name === 'pool-manager',
      ) as
        | { spec: { template: { spec: { volumes: { name: string; configMap?: { name: string } }[] } } } }
        | undefined;
      expect(
        poolManager?.spec.template.spec.volumes.find((volume) => volume.name === 'pools')?.configMap,
      ).toEqual({
        name: generated?.metadata.name,
      });
    });
  },
);

describe('Kubernetes overlays', () => {
  it('put production and staging in their own namespaces, with the ServiceMonitor in production only', () => {
    const production = renderKustomization('deploy/k8s/overlays/production');
    const staging = renderKustomization('deploy/k8s/overlays/staging');
    expect(
      new Set(production.filter((item) => item.kind !== 'Namespace').map((item) => item.metadata.namespace)),
    ).toEqual(new Set(['conveyor-production']));
    expect(ofKind(production, 'ServiceMonitor')).toHaveLength(1);
    expect(ofKind(staging, 'ServiceMonitor')).toHaveLength(0);
    expect(hpa.parse(ofKind(production, 'HorizontalPodAutoscaler')[0]).spec.minReplicas).toBe(3);
  });

  const schemas = kubernetesSchemas();
  if (!schemas.available) {
    // Loud, so a CI run without the package says what it did not check.
    process.stderr.write(`deploy-checks: Kubernetes schema validation SKIPPED: ${schemas.reason}\n`);
  }
  (schemas.available ? it : it.skip)('the schema validation refuses a wrong field type (it can fail)', () => {
    if (!schemas.available) return;
    const [item] = ofKind(renderKustomization('deploy/k8s/base'), 'Deployment');
    const broken = JSON.parse(JSON.stringify(item)) as {
      spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } };
    } & Manifest;
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(schemas.validate(broken)).toEqual({
      ok: false,
      problem: expect.stringContaining('containerPort must be integer'),
    });
  });

  it('refuses a patch that matches nothing (kustomize alone would not)', () => {
    expect(() => renderKustomization('tools/deploy-checks/src/kubernetes/fixtures/bad-patch')).toThrow(
      /matches nothing/,
    );
  });
});
