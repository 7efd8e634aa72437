import type { z } from 'zod';
import type { healthCheckSchema } from '@conveyor/contracts';
import { excerpt } from './result-text';

export type HealthCheckSpec = z.infer<typeof healthCheckSchema>;

/** One HTTP answer: what came back. */
export interface HttpAnswer {
  status: number;
  body: string;
}

export type AnswerJudgement = { ok: true; detail: string } | { ok: false; detail: string };

/** What the check expects, in words: `GET /health → 200, body contains "ok", JSON version = 1.4.2`. */
export function describeHealthExpectation(spec: HealthCheckSpec, expectedVersion: string): string {
  const parts = [`GET ${spec.path} → ${spec.expectStatus}`];
  if (spec.bodyContains !== undefined) parts.push(`body contains "${spec.bodyContains}"`);
  if (spec.versionField !== undefined) parts.push(`JSON ${spec.versionField} = ${expectedVersion}`);
  return `${parts.join(', ')} within ${spec.timeoutSeconds} s`;
}

/** Judges one answer against the spec: status, then body text, then the version field. */
export function evaluateHealthAnswer(
  spec: HealthCheckSpec,
  expectedVersion: string,
  answer: HttpAnswer,
): AnswerJudgement {
  if (answer.status !== spec.expectStatus) {
    return {
      ok: false,
      detail: `answered ${answer.status}, expected ${spec.expectStatus}: ${excerpt(answer.body)}`,
    };
  }
  if (spec.bodyContains !== undefined && !answer.body.includes(spec.bodyContains)) {
    return {
      ok: false,
      detail: `answered ${answer.status} but the body lacks "${spec.bodyContains}": ${excerpt(answer.body)}`,
    };
  }
  if (spec.versionField === undefined) return { ok: true, detail: `answered ${answer.status}` };
  const field = readJsonField(answer.body, spec.versionField);
  if (!field.found) {
    return { ok: false, detail: `answered ${answer.status} but ${field.why}: ${excerpt(answer.body)}` };
  }
  const actual = typeof field.value === 'string' ? field.value : JSON.stringify(field.value);
  if (actual !== expectedVersion) {
    return {
      ok: false,
      detail: `answered ${answer.status} with ${spec.versionField} ${actual}, expected ${expectedVersion}`,
    };
  }
  return { ok: true, detail: `answered ${answer.status} with ${spec.versionField} ${actual}` };
}

type FieldLookup = { found: true; value: unknown } | { found: false; why: string };

/** Reads a dot path (`build.version`) from a JSON body. */
export function readJsonField(body: string, dotPath: string): FieldLookup {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { found: false, why: `the body is not JSON (looking for ${dotPath})` };
  }
  for (const key of dotPath.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) {
      return { found: false, why: `the JSON body has no field ${dotPath}` };
    }
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null || typeof value === 'object')
    return { found: false, why: `${dotPath} is not a plain value` };
  return { found: true, value };
}
