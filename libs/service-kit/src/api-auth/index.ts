export * from './api-access.policy';
export * from './api-auth.guard';
export * from './api-roles.decorator';
export * from './bearer-token';
export * from './identity-events.consumer';
export * from './identity-read-model';
export * from './identity-tables.migration';
export * from './identity-tokens.repository';
