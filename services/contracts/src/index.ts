/** @goorm/contracts: the API contract, browser-safe (zod only). The client core is `@goorm/contracts/client`. */
export * from './domain.ts';
export * from './errors.ts';
export * from './endpoint.ts';
export * from './sections.ts';
export * from './carts.ts';
export * from './auth.ts';
export * from './enrollment.ts';
export * from './waitlist.ts';
export * from './lectures.ts';
export * from './ai.ts';
