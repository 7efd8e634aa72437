export * from './checkpoint-created.event';
export * from './verification-failed.event';
export * from './access-recorded.event';
