import { parseManifestBody } from './manifest-body.parser';

const yaml = `
environments:
  dev:
    pool: shop-dev
    servers: [{ id: dev-1 }]
    strategy: { batchSize: 1, minHealthy: 0 }
  prod:
    pool: shop-prod
    select: { facts: { role: web, environment: prod } }
    strategy: { batchSize: "25%", minHealthy: "75%" }
    approvals: { required: 2 }
`;

describe('a manifest sent to PUT /services/:name', () => {
  it('is read from YAML, keeps the environments in order, and fills in the defaults', () => {
    const result = parseManifestBody('shop', yaml);
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(Object.keys(result.manifest.environments)).toEqual(['dev', 'prod']);
    expect(result.manifest.environments['prod']!.approvals).toEqual({
      required: 2,
      separationOfDuties: true,
      expiresAfterHours: 24,
    });
    expect(result.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has the same content hash as YAML and as JSON', () => {
    const fromYaml = parseManifestBody('shop', yaml);
    const fromJson = parseManifestBody('shop', {
      service: 'shop',
      environments: {
        dev: { pool: 'shop-dev', servers: [{ id: 'dev-1' }], strategy: { batchSize: 1, minHealthy: 0 } },
        prod: {
          pool: 'shop-prod',
          select: { facts: { role: 'web', environment: 'prod' } },
          strategy: { batchSize: '25%', minHealthy: '75%' },
          approvals: { required: 2 },
        },
      },
    });
    expect(fromYaml.ok && fromJson.ok && fromYaml.contentHash === fromJson.contentHash).toBe(true);
  });

  it('has another content hash when only the order of environments changes (the promotion order)', () => {
    const dev = { pool: 'shop-dev', servers: [{ id: 'dev-1' }], strategy: { batchSize: 1, minHealthy: 0 } };
    const prod = { pool: 'shop-prod', servers: [{ id: 'web-1' }], strategy: { batchSize: 1, minHealthy: 0 } };
    const ordered = parseManifestBody('shop', { environments: { dev, prod } });
    const reordered = parseManifestBody('shop', { environments: { prod, dev } });
    expect(ordered.ok && reordered.ok && ordered.contentHash !== reordered.contentHash).toBe(true);
  });

  it('lists every problem with its path', () => {
    const result = parseManifestBody('shop', {
      service: 'other',
      environments: {
        prod: {
          pool: 'shop-prod',
          strategy: { batchSize: 'lots', minHealthy: 1 },
          migration: { runner: 'db-1', backwardCompatible: false },
        },
      },
    });
    expect(result).toEqual({
      ok: false,
      problems: expect.arrayContaining([
        'service: must be "shop", the name in the path',
        'environments.prod.strategy.batchSize: must be a count or a percentage',
        'environments.prod.migration.backwardCompatible: must be true: old and new versions run side by side',
      ]),
    });
  });

  it('names a bad environment name', () => {
    const result = parseManifestBody('shop', {
      environments: {
        'pre prod': { pool: 'p', servers: [{ id: 'a' }], strategy: { batchSize: 1, minHealthy: 0 } },
      },
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'environments.pre prod: not a valid name: must be 1-63 letters, digits, dots, dashes or underscores',
      ],
    });
  });

  it('says when the body is not YAML or not a manifest', () => {
    expect(parseManifestBody('shop', 'environments: [unclosed')).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^\(root\): not valid YAML or JSON: /)],
    });
    expect(parseManifestBody('shop', '42')).toEqual({
      ok: false,
      problems: ['(root): must be a manifest object (YAML or JSON) with service and environments'],
    });
  });
});
