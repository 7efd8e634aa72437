import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** The JSON Schema (OpenAPI 3.0 dialect) of what a client sends. */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
  }) as SchemaObject;
}

/** Documents a zod-validated body with an example. */
export function ApiZodBody(schema: z.ZodType, example: unknown, description?: string): MethodDecorator {
  return applyDecorators(ApiBody({ schema: { ...openApiSchema(schema), example }, description }));
}

/** A success response with an example body. */
export function ApiExampleResponse(status: number, description: string, example: unknown): MethodDecorator {
  return applyDecorators(ApiResponse({ status, description, schema: { type: 'object', example } }));
}

/** Bearer auth and the errors every authenticated endpoint may answer. */
export function ApiAuthenticated(roles: readonly string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth('token'),
    ApiUnauthorizedResponse({
      description: 'No token, a malformed Authorization header, or an unknown or revoked token.',
      schema: {
        type: 'object',
        example: {
          statusCode: 401,
          error: 'Unauthorized',
          message: 'no API token: send Authorization: Bearer <token>',
        },
      },
    }),
    ApiForbiddenResponse({
      description: `The token's role may not do this. Allowed roles: ${roles.join(', ')}.`,
      schema: {
        type: 'object',
        example: {
          statusCode: 403,
          error: 'Forbidden',
          message: `role auditor may not do this; allowed: ${roles.join(', ')}`,
        },
      },
    }),
    ApiBadRequestResponse({
      description: 'A body, path parameter or query that does not validate; every problem with its path.',
      schema: {
        type: 'object',
        example: {
          statusCode: 400,
          error: 'invalid request body',
          problems: ['environments.prod.strategy.batchSize: must be a count or a percentage'],
        },
      },
    }),
  );
}
