export * from './strategy.schema';
export * from './verification.schema';
export * from './service-manifest.schema';
