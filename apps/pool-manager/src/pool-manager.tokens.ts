/** The validated settings of the pool manager (pools, timings). */
export const POOL_MANAGER_SETTINGS = Symbol('POOL_MANAGER_SETTINGS');
