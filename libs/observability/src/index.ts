export * from './metrics-registry';
export * from './correlation-context';
export * from './logger';
export * from './metrics.controller';
