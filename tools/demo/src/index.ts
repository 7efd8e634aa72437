export * from './demo-scenario';
export * from './load-generator';
export * from './pipeline-client';
