import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/** `path: message` for every issue, the path rooted at `prefix` (e.g. `body`, `query`). */
export function listProblems(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const message =
      issue.code === 'invalid_key'
        ? `not a valid name: ${issue.issues.map((inner) => inner.message).join('; ')}`
        : issue.message;
    return `${path || '(root)'}: ${message}`;
  });
}

export function invalidRequest(problems: string[], error = 'invalid request'): BadRequestException {
  return new BadRequestException({ statusCode: 400, error, problems });
}

/** Validates a body, a parameter or a query with zod; a 400 `{ error, problems: ["path: message"] }` lists every problem. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly prefix = '',
    private readonly error = 'invalid request body',
  ) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw invalidRequest(listProblems(parsed.error, this.prefix), this.error);
    return parsed.data;
  }
}

export const validBody = <S extends z.ZodType>(schema: S) => new ZodValidationPipe(schema);
export const validParam = <S extends z.ZodType>(name: string, schema: S) =>
  new ZodValidationPipe(schema, name, 'invalid path parameter');
export const validQuery = <S extends z.ZodType>(schema: S) =>
  new ZodValidationPipe(schema, 'query', 'invalid query');
