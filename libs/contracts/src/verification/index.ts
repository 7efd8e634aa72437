export * from './verification-outcome';
export * from './requested.event';
export * from './started.event';
export * from './passed.event';
export * from './failed.event';
export * from './health-degraded.event';
export * from './bake-requested.event';
export * from './bake-completed.event';
