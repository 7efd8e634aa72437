export * from './api-roles';
export * from './token-fields';
export * from './token-issued.event';
export * from './token-revoked.event';
export * from './tokens-announced.event';
