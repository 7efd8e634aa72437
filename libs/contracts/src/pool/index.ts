export * from './drain-requested.event';
export * from './server-drained.event';
export * from './enable-requested.event';
export * from './server-enabled.event';
export * from './operation-failed.event';
export * from './drift-detected.event';
export * from './drift-corrected.event';
