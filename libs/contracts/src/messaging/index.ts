export * from './dead-letter-replay-requested.event';
