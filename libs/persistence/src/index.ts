export * from './data-source';
export * from './database-logins';
export * from './schema-name';
