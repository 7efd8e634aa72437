export * from './service-env';
export * from './messaging.providers';
export * from './health.controller';
export * from './service-kit.module';
export * from './run-service';
export * from './migrate-service';
export * from './testing-support';
export * from './api-auth';
