import {
  ConflictException,
  HttpException,
  ForbiddenException,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';

/** Errors with a sentence saying why: `{ statusCode, error, message }`. */
export const notFound = (message: string) =>
  new NotFoundException({ statusCode: 404, error: 'Not Found', message });
export const conflict = (message: string) =>
  new ConflictException({ statusCode: 409, error: 'Conflict', message });
export const forbidden = (message: string) =>
  new ForbiddenException({ statusCode: 403, error: 'Forbidden', message });
export const unprocessable = (message: string) =>
  new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message });

/** The sentence an HTTP error gives its caller (`message` of its body), as the audit log records it. */
export function messageOf(error: HttpException): string {
  const body = error.getResponse();
  return typeof body === 'object' && body !== null && 'message' in body
    ? String(body.message)
    : error.message;
}
