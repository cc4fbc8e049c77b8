/**
 * Rate limiting (README.md in this folder): fixed-window counters in Redis (one atomic Lua
 * script per hit) or in process, and an Express middleware answering 429 RATE_LIMITED with
 * Retry-After. Fails open when the store is unreachable.
 */
export * from './store.ts';
export * from './middleware.ts';
export * from './config.ts';
