import { z } from 'zod';

/** Keys every service understands. Services extend this shape with their own keys. */
export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('0.0.0.0'),
  /** sqlite:./data/goorm.sqlite (embedded default) or mysql://user:pass@host:3306/db */
  DATABASE_URL: z.string().min(1).default('sqlite:./data/goorm.sqlite'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().default('./data'),
  /** PEM text of the token verification key; or a file holding it. */
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_PUBLIC_KEY_FILE: z.string().optional(),
  JWT_ISSUER: z.string().default('goorm-auth'),
  JWT_AUDIENCE: z.string().default('goorm-registration'),
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** How often the account revocations (deleted accounts, changed passwords) are read: the longest an old token still works (ms; 0 = only at start). */
  ACCOUNT_REVOCATION_POLL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** Migrate the service's own tables at start (the start script and a deploy Job do it otherwise). */
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  HTTP_ACCESS_LOG: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once into a frozen, typed object. Nothing else should read process.env.
 * Throws ConfigError with one readable line per bad key.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<z.ZodObject<S>>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return Object.freeze(result.data);
}

/**
 * The deployment-mode check of a service's start: with NODE_ENV unset, only the embedded SQLite
 * database is accepted (a local run); a server database needs NODE_ENV said out loud.
 */
export function deploymentProblems(env: Record<string, string | undefined>, config: { DATABASE_URL?: string }): string[] {
  if (env.NODE_ENV !== undefined && env.NODE_ENV !== '') return [];
  if (config.DATABASE_URL === undefined || config.DATABASE_URL.startsWith('sqlite:')) return [];
  return [
    'NODE_ENV: not set, and DATABASE_URL is a server database. Set NODE_ENV=production (with JWT_PUBLIC_KEY and the other secrets) for a deployment, or NODE_ENV=development for a local run: without it the service would generate development keys for what may be production',
  ];
}

let startupHandlerInstalled = false;

/**
 * For a server's entry point: the configuration, checked like `loadConfig` plus the deployment
 * mode (`deploymentProblems`). From here on a failure to start is one readable message on stderr
 * and exit code 1: a ConfigError (a bad key, a missing secret in production, an unsafe mode) as its
 * message alone; anything else (a bug) with its stack, as Node would print it.
 */
export function loadServiceConfig<S extends z.ZodRawShape>(
  service: string,
  shape: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<z.ZodObject<S>>> {
  if (!startupHandlerInstalled) {
    startupHandlerInstalled = true;
    process.on('uncaughtException', (err) => {
      process.stderr.write(err instanceof ConfigError ? `${service}: cannot start: ${err.message}\n` : `${service}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    });
  }
  const config = loadConfig(shape, env);
  const problems = deploymentProblems(env, config as { DATABASE_URL?: string });
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
