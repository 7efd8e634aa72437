import pino, { type Logger, type LoggerOptions } from 'pino';
import { currentCorrelation } from './correlation-context';

/** Keys whose values never reach a log line. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'privateKey',
  '*.privateKey',
];

/**
 * Structured JSON logs; every line written while an event or request is handled carries its
 * correlation id.
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  return pino({
    name: service,
    level: process.env['LOG_LEVEL'] ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const context = currentCorrelation();
      return context ? { correlationId: context.correlationId, actor: context.actor } : {};
    },
    ...options,
  });
}

export type { Logger };
