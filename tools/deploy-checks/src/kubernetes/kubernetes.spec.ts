import { z } from 'zod';
import {
  knownVariables,
  parsePoolsFile,
  serviceEnvSchema,
  SERVICE_NAMES,
  type ServiceName,
} from '../app-config-schemas';
import { readYamlDocuments, repoPath } from '../repo-files';
import { renderKustomization, type Manifest } from './kustomize-render';

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
  securityContext: z.object({
    allowPrivilegeEscalation: z.literal(false),
    readOnlyRootFilesystem: z.literal(true),
  }),
  volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() })),
});
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
        securityContext: z.object({ runAsNonRoot: z.literal(true), runAsUser: z.number().int().min(1) }),
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

    it('hand the pool manager a pools file it accepts', () => {
      expect(parsePoolsFile(repoPath('deploy/k8s/base/pools.yaml'))).toMatchObject({ ok: true });
      expect(configMaps.map((map) => map.metadata.name)).toContain('conveyor-pools');
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

  it('refuses a patch that matches nothing (the renderer is not lenient)', () => {
    expect(() => renderKustomization('tools/deploy-checks/src/kubernetes/fixtures/bad-patch')).toThrow(
      /matches nothing/,
    );
  });
});
