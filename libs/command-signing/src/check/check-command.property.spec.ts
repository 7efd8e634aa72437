import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { z } from 'zod';
import { MemoryNonceStore } from '../nonce/memory-nonce-store';
import { agentOptions, orchestratorKey, overTheWire } from '../testing/command-fixtures';
import { signCommand } from '../signing/sign-command';
import { checkCommand } from './check-command';

/**
 * Property: a signed command with any single change — any field replaced, removed, added, or one
 * character of any string altered, at any depth — is refused. The payload schema here strips
 * unknown keys on purpose, so a field added to the payload would vanish from the parsed command:
 * the signature must still catch it.
 */
const lenientPayloadSchema = z.object({
  service: z.string(),
  version: z.string(),
  hooks: z.array(z.object({ name: z.string(), timeoutMs: z.number() })),
});

const genuine = overTheWire(
  signCommand(
    {
      commandId: '7d444840-9dc0-11d1-b245-5ffdce74fad2',
      kind: 'deploy',
      target: { nodeIds: ['web-01', 'web-02'], facts: { service: 'billing', environment: 'production' } },
      issuedAt: '2025-03-01T12:00:00.000Z',
      expiresAt: '2025-03-01T12:05:00.000Z',
      nonce: 'P8x2eYv5mC1uQ9rT4wZ7aB3dF6gH0jKl',
      payload: { service: 'billing', version: '4.2.0', hooks: [{ name: 'stop-iis', timeoutMs: 30000 }] },
    },
    orchestratorKey.privateKeyPem,
    orchestratorKey.keyId,
  ),
);

type Json = unknown;
type Path = (string | number)[];

function pathsOf(value: Json, path: Path = []): Path[] {
  if (Array.isArray(value)) return [path, ...value.flatMap((item, i) => pathsOf(item, [...path, i]))];
  if (typeof value === 'object' && value !== null) {
    return [path, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key]))];
  }
  return [path];
}

function getAt(value: Json, path: Path): Json {
  return path.reduce<Json>((node, step) => (node as Record<string | number, Json>)[step], value);
}

/** Returns a copy of `root` with the node at `path` replaced by `edit(node)`, or removed if edit returns REMOVE. */
const REMOVE = Symbol('remove');
function editAt(root: Json, path: Path, edit: (node: Json) => Json | typeof REMOVE): Json {
  if (path.length === 0) {
    const edited = edit(root);
    return edited === REMOVE ? undefined : edited;
  }
  const copy = overTheWire(root) as Record<string | number, Json>;
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, Json> & Json[];
  const last = path[path.length - 1]!;
  const edited = edit(parent[last]);
  if (edited === REMOVE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = edited;
  }
  return copy;
}

const allPaths = pathsOf(genuine).filter((path) => path.length > 0);
const objectPaths = pathsOf(genuine).filter((path) => {
  const node = getAt(genuine, path);
  return typeof node === 'object' && node !== null && !Array.isArray(node);
});
const stringPaths = allPaths.filter((path) => typeof getAt(genuine, path) === 'string');

const replaceAny = fc
  .record({ path: fc.constantFrom(...allPaths), value: fc.jsonValue() })
  .map(({ path, value }) => ({
    label: `replace ${path.join('.')}`,
    mutated: editAt(genuine, path, () => value),
  }));

const removeAny = fc
  .constantFrom(...allPaths)
  .map((path) => ({ label: `remove ${path.join('.')}`, mutated: editAt(genuine, path, () => REMOVE) }));

const addField = fc
  .record({
    path: fc.constantFrom(...objectPaths),
    key: fc.string({ minLength: 1, maxLength: 12 }),
    value: fc.jsonValue(),
  })
  .filter(({ path, key }) => !Object.prototype.hasOwnProperty.call(getAt(genuine, path), key))
  .map(({ path, key, value }) => ({
    label: `add ${[...path, key].join('.')}`,
    mutated: editAt(genuine, path, (node) => ({ ...(node as object), [key]: value })),
  }));

const alterOneCharacter = fc
  .record({
    path: fc.constantFrom(...stringPaths),
    position: fc.nat(),
    replacement: fc.string({ minLength: 1, maxLength: 1, unit: 'binary-ascii' }),
  })
  .map(({ path, position, replacement }) => ({
    label: `alter a character of ${path.join('.')}`,
    mutated: editAt(genuine, path, (node) => {
      const text = node as string;
      const at = position % text.length;
      return text.slice(0, at) + replacement + text.slice(at + 1);
    }),
  }));

/** Base64 leaves 4 unused bits in the signature's last character: a change there must not slip through. */
const alterSignatureTail = fc
  .constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  .map((replacement) => ({
    label: `set the signature's last data character to ${replacement}`,
    mutated: editAt(genuine, ['signature'], (node) => `${(node as string).slice(0, 85)}${replacement}==`),
  }));

describe('any change to a signed command', () => {
  it('the unchanged command is accepted (the property below is not vacuous)', async () => {
    const result = await checkCommand(genuine, { ...agentOptions(), payloadSchema: lenientPayloadSchema });
    expect(result.ok).toBe(true);
  });

  it('makes checkCommand refuse it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(replaceAny, removeAny, addField, alterOneCharacter, alterSignatureTail),
        async ({ label, mutated }) => {
          fc.pre(!isDeepStrictEqual(overTheWire(mutated ?? null), genuine));
          const result = await checkCommand(mutated, {
            ...agentOptions({ nonceStore: new MemoryNonceStore() }),
            payloadSchema: lenientPayloadSchema,
          });
          if (result.ok) throw new Error(`accepted after: ${label}`);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('with a well-formed but different signature is refused as bad_signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 64, maxLength: 64 }), async (bytes) => {
        const signature = Buffer.from(bytes).toString('base64');
        fc.pre(signature !== (genuine as { signature: string }).signature);
        const result = await checkCommand(
          { ...(genuine as object), signature },
          { ...agentOptions(), payloadSchema: lenientPayloadSchema },
        );
        expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
      }),
      { numRuns: 200 },
    );
  });
});
