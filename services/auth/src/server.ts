import { z } from 'zod';
import { baseConfigShape, bootstrap, ConfigError, createRateLimitStore, createTokenSigner, loadServiceConfig, loginLimiters, rateLimitConfigShape, resolveKey, runPeriodically, serveService } from '@goorm/common';
import { createApp } from './app.ts';
import { authMigrations } from './db/migrations.ts';
import { purgeExpired } from './db/revocations.ts';
import { createPasswordHasher } from './passwords/passwords.service.ts';

const config = loadServiceConfig('auth', {
  ...baseConfigShape,
  ...rateLimitConfigShape,
  PORT: z.coerce.number().int().default(4001),
  /** PEM text of the token signing key (Ed25519, PKCS#8); or a file holding it. Outside production a dev key pair is generated under DATA_DIR/keys. */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PRIVATE_KEY_FILE: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(7200),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).default(900),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19_456),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).max(20).default(2),
});

const base = await bootstrap('auth', config, authMigrations);

const privateKey = resolveKey({
  inline: config.JWT_PRIVATE_KEY,
  file: config.JWT_PRIVATE_KEY_FILE,
  dataDir: config.DATA_DIR,
  kind: 'private',
  allowDevKey: config.NODE_ENV !== 'production',
});
const signer = await createTokenSigner(privateKey, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
// Fail at start, not at the first login, when the signing key does not match the verification key.
await base.verifier
  .verify((await signer.sign({ id: 0, role: 'staff', loginId: 'startup-check', name: 'startup-check' }, 60)).token)
  .catch(() => {
    throw new ConfigError(['JWT_PRIVATE_KEY does not match JWT_PUBLIC_KEY: tokens signed here would be refused everywhere']);
  });

const limits = createRateLimitStore(config.REDIS_URL, base.logger, base.metrics.registry);
const app = createApp({
  loginLimiters: loginLimiters(config, limits.store, { logger: base.logger, registry: base.metrics.registry }),
  db: base.db,
  verifier: base.verifier,
  signer,
  logger: base.logger,
  metrics: base.metrics,
  readiness: base.readiness,
  passwords: createPasswordHasher({ memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: 1 }),
  tokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  throttle: {
    maxFailures: config.LOGIN_MAX_FAILURES,
    windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    lockSeconds: config.LOGIN_LOCK_SECONDS,
  },
  accessLog: config.HTTP_ACCESS_LOG,
});

// Throttles and revocations past their use are deleted every 10 minutes (every replica; idempotent).
const stopPurge = runPeriodically(
  'purge of expired login throttles and token revocations',
  10 * 60_000,
  () => purgeExpired(base.db, { windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS, lockSeconds: config.LOGIN_LOCK_SECONDS }, new Date()),
  base.logger,
);

await serveService(base, config, app, [stopPurge, limits.close]);
