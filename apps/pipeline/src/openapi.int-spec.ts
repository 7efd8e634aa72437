import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@conveyor/testing';
import { startPipeline, type StartedPipeline } from './testing/pipeline-harness';

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: { example?: unknown } }> };
  responses: Record<
    string,
    { description?: string; content?: Record<string, { schema?: { example?: unknown } }> }
  >;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes?: Record<string, { type: string; scheme?: string }>;
    schemas?: Record<string, unknown>;
  };
}
interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

const OUTSIDE_THE_API = /^\/(health|metrics|docs)/;

/** Every `$ref` in the document points at something that exists. */
function danglingRefs(document: OpenApiDocument): string[] {
  const dangling: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const target = value
          .replace(/^#\//, '')
          .split('/')
          .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], document);
        if (target === undefined) dangling.push(value);
      } else visit(value);
    }
  };
  visit(document);
  return dangling;
}

describe('the OpenAPI document at /docs', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let pipeline: StartedPipeline;
  let document: OpenApiDocument;
  let routes: { method: string; path: string }[];

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    pipeline = await startPipeline(vhost.urlFor('pipeline'), database.url);
    document = (await pipeline.as(null).get('/docs-json').expect(200)).body as OpenApiDocument;
    const express = pipeline.service.app.getHttpAdapter().getInstance() as {
      router: { stack: RouterLayer[] };
    };
    routes = express.router.stack
      .flatMap((layer) =>
        layer.route
          ? Object.keys(layer.route.methods).map((method) => ({ method, path: layer.route!.path }))
          : [],
      )
      // Nest also mounts module middleware on the routes (with a trailing slash) and a catch-all (`{*path}`).
      .map((route) => ({ method: route.method, path: route.path.replace(/(.)\/$/, '$1') }))
      .filter((route) => !OUTSIDE_THE_API.test(route.path) && !route.path.includes('*'))
      .filter(
        (route, index, all) =>
          all.findIndex((other) => other.method === route.method && other.path === route.path) === index,
      );
  });

  afterAll(async () => {
    await pipeline?.service.close();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('is served with a UI, and is a well-formed OpenAPI 3.0 document with bearer auth', async () => {
    const ui = await pipeline.as(null).get('/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
    expect(document.openapi).toMatch(/^3\.0\.\d$/);
    expect(document.info).toMatchObject({ title: 'Conveyor pipeline API', version: '1' });
    expect(document.components.securitySchemes?.['token']).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(danglingRefs(document)).toEqual([]);
    const operationIds = Object.values(document.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('covers every endpoint, each with auth, a summary, its path parameters, examples and its errors', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const problems: string[] = [];
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths[path]?.[route.method];
      const name = `${route.method.toUpperCase()} ${path}`;
      if (!operation) {
        problems.push(`${name}: missing`);
        continue;
      }
      if (!operation.summary) problems.push(`${name}: no summary`);
      if (!operation.security?.some((s) => 'token' in s)) problems.push(`${name}: no bearer auth`);
      for (const param of path.match(/\{(\w+)\}/g) ?? []) {
        if (!operation.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === param))
          problems.push(`${name}: path parameter ${param} undocumented`);
      }
      for (const status of ['400', '401', '403'])
        if (!operation.responses[status]) problems.push(`${name}: no ${status} response`);
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      if (
        !success.some(([, response]) => response.content?.['application/json']?.schema?.example !== undefined)
      )
        problems.push(`${name}: no example answer`);
      if (route.method === 'post' || route.method === 'put') {
        const body = Object.values(operation.requestBody?.content ?? {})[0];
        if (body?.schema?.example === undefined) problems.push(`${name}: no example body`);
      }
    }
    expect(problems).toEqual([]);
    const documented = Object.entries(document.paths)
      .filter(([path]) => !OUTSIDE_THE_API.test(path))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(
      routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort(),
    );
  });
});
