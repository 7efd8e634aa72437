export * from './haproxy';
export * from './http';
export * from './postgres/test-database';
export * from './rabbitmq/test-vhost';
export * from './rabbitmq/participant-bus';
export * from './wait-for';
export * from './rabbitmq/stand-in-orchestrator';
