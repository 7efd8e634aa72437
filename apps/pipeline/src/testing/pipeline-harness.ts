import request from 'supertest';
import type { App } from 'supertest/types';
import { startService, testServiceEnv, type RunningService } from '@conveyor/service-kit';
import { serviceLoginUrl } from '@conveyor/testing';
import type { PipelineEnv } from '../config/pipeline-env';
import { pipelineService } from '../pipeline.boot';

export const ADMIN_TOKEN = 'test-bootstrap-admin-token-0123456789';

export interface StartedPipeline {
  service: RunningService;
  http: App;
  /** A supertest agent with `Authorization: Bearer <token>` (no header when token is null). */
  as(token: string | null): {
    get(path: string): request.Test;
    post(path: string, body?: unknown): request.Test;
    put(path: string, body?: unknown): request.Test;
    delete(path: string): request.Test;
  };
  /** Issues a token with the bootstrap admin token. */
  issueToken(name: string, role: string): Promise<string>;
}

/** Starts the pipeline as its own login (`<database>_pipeline`, owner of schema `pipeline` only). */
export async function startPipeline(
  amqpUrl: string,
  databaseUrl: string,
  overrides: Partial<PipelineEnv> = {},
): Promise<StartedPipeline> {
  const env: PipelineEnv = {
    ...testServiceEnv(amqpUrl, serviceLoginUrl(databaseUrl, 'pipeline')),
    PIPELINE_ADMIN_TOKEN: ADMIN_TOKEN,
    PIPELINE_MAX_BODY_BYTES: 1_048_576,
    PIPELINE_IDENTITY_ANNOUNCE_MS: 300_000,
    ...overrides,
  };
  const service = await startService(pipelineService, env);
  const http = service.app.getHttpServer() as App;
  const auth = (test: request.Test, token: string | null) =>
    token === null ? test : test.set('Authorization', `Bearer ${token}`);
  const as: StartedPipeline['as'] = (token) => ({
    get: (path) => auth(request(http).get(path), token),
    post: (path, body) =>
      body === undefined
        ? auth(request(http).post(path), token)
        : auth(request(http).post(path), token).send(body as object),
    put: (path, body) =>
      body === undefined
        ? auth(request(http).put(path), token)
        : auth(request(http).put(path), token).send(body as object),
    delete: (path) => auth(request(http).delete(path), token),
  });
  return {
    service,
    http,
    as,
    async issueToken(name, role) {
      const response = await as(ADMIN_TOKEN).post('/tokens', { name, role }).expect(201);
      return (response.body as { token: string }).token;
    },
  };
}
