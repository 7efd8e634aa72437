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
  // Synchronous writes: the last lines before a process exits (why it stopped) are never lost.
  return pino(
    {
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
    },
    pino.destination({ dest: 1, sync: true }),
  );
}

export type { Logger };
