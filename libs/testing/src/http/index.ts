export * from './backend-server';
export * from './backend-servers';
export * from './free-port';
export * from './http-get';
