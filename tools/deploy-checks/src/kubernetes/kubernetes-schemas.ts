import { errorMessage } from '@conveyor/errors';
import { createRequire } from 'node:module';
import type { Manifest } from './kustomize-render';

/**
 * Validation against the Kubernetes API's own OpenAPI schemas, offline: the npm package
 * `kubernetes-models` (4.5.1, CommonJS; its JSON schemas are compiled to validators and shipped in
 * the package) — a class per kind whose `validate()` throws naming the wrong field. kubeconform is
 * a Go binary, not on npm. The schemas check types, enums, formats and required fields; they do not
 * refuse unknown fields (the API server prunes or refuses those), so the structural zod checks in
 * kubernetes.spec.ts keep `strictObject` where a typo would matter.
 */
export const SCHEMA_PACKAGE = 'kubernetes-models';

type ModelClass = new (data: unknown) => { validate(): void };

export type SchemaCheck =
  | { available: false; reason: string }
  | { available: true; validate(item: Manifest): SchemaVerdict };

export type SchemaVerdict =
  | { ok: true }
  | { ok: false; problem: string }
  /** A kind the package has no schema for (a CRD such as ServiceMonitor). */
  | { ok: 'no-schema' };

const load = createRequire(__filename);

/** The model module of an apiVersion/kind: `apps/v1` + `Deployment` → `kubernetes-models/apps/v1/Deployment`. */
export function modelModulePath(apiVersion: string, kind: string): string {
  return `${SCHEMA_PACKAGE}/${apiVersion}/${kind}`;
}

/** Loads the schema package once; says why not when it is not installed. */
export function kubernetesSchemas(): SchemaCheck {
  try {
    load.resolve(`${SCHEMA_PACKAGE}/package.json`);
  } catch {
    return {
      available: false,
      reason: `${SCHEMA_PACKAGE} is not installed (npm install --save-dev --save-exact ${SCHEMA_PACKAGE}@4.5.1)`,
    };
  }
  const models = new Map<string, ModelClass | null>();
  const modelOf = (item: Manifest): ModelClass | null => {
    const key = `${item.apiVersion}/${item.kind}`;
    if (!models.has(key)) {
      let model: ModelClass | null = null;
      try {
        const exported = load(modelModulePath(item.apiVersion, item.kind)) as Record<string, unknown>;
        const candidate = exported[item.kind];
        if (typeof candidate === 'function') model = candidate as ModelClass;
      } catch {
        model = null;
      }
      models.set(key, model);
    }
    return models.get(key) ?? null;
  };
  return {
    available: true,
    validate(item) {
      const Model = modelOf(item);
      if (Model === null) return { ok: 'no-schema' };
      try {
        new Model(item).validate();
        return { ok: true };
      } catch (error) {
        return { ok: false, problem: errorMessage(error) };
      }
    },
  };
}
