import {
  ConflictException,
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
