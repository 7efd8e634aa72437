import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_PATH = 'docs';

export function openApiConfig(): Omit<OpenAPIObject, 'paths'> {
  return new DocumentBuilder()
    .setTitle('Conveyor pipeline API')
    .setDescription(
      'The API Jenkins and operators call: service catalogue (manifests), pipeline runs, stages and artifacts, promotions and approvals, ' +
        'deployments (read model and control), DORA insights, API tokens. Every endpoint needs `Authorization: Bearer <token>`; ' +
        'roles: ci, deployer, approver, auditor, admin. Errors are `{ statusCode, error, message }`; a 400 lists every problem as `path: message` in `problems`.',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'An API token (cvy_…) issued by POST /tokens, or the bootstrap admin token.',
      },
      'token',
    )
    .build();
}

/** Serves the OpenAPI document at /docs (UI) and /docs-json; built once, on first request. */
export function setupOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | null = null;
  const build = () => (document ??= SwaggerModule.createDocument(app, openApiConfig()));
  SwaggerModule.setup(OPENAPI_PATH, app, build, {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
    customSiteTitle: 'Conveyor pipeline API',
  });
}
