export * from './checkpoint-created.event';
export * from './verification-failed.event';
