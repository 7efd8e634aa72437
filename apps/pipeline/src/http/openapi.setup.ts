import { Injectable, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
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
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API token (cvy_…) issued by POST /tokens, or the bootstrap admin token.' }, 'token')
    .build();
}

/**
 * Serves the OpenAPI document at /docs (UI) and /docs-json. service-kit creates and starts the
 * application itself, so the document is built from the module container here, in
 * onModuleInit — before Nest installs its not-found handler — rather than from `app`.
 */
@Injectable()
export class OpenApiSetup implements OnModuleInit {
  constructor(
    private readonly modules: ModulesContainer,
    private readonly config: ApplicationConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    const modules = this.modules;
    const appView = {
      container: { getModules: () => modules, isGlobalModule: () => false },
      config: this.config,
      getHttpAdapter: () => adapter,
      useStaticAssets: (path: string, options: unknown) => (adapter as unknown as { useStaticAssets(p: string, o: unknown): void }).useStaticAssets(path, options),
    } as unknown as INestApplication;
    let document: OpenAPIObject | null = null;
    const build = () => (document ??= SwaggerModule.createDocument(appView, openApiConfig()));
    SwaggerModule.setup(OPENAPI_PATH, appView, build, { jsonDocumentUrl: `${OPENAPI_PATH}-json`, customSiteTitle: 'Conveyor pipeline API' });
  }
}
