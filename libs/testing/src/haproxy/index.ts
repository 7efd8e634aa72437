export * from './haproxy-config';
export * from './start-haproxy';
export { liveHaproxyCount, HAPROXY_BINARY } from './haproxy-process';
export * from './wait-for-status';
export { reloadThroughHook, RELOAD_HOOK } from './reload-hook';
