import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** argon2id cost parameters (PHC string `m=`, `t=`, `p=`). */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const DEFAULT_ARGON2: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id (an ambient const enum, not importable as a value)

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /**
   * Spends the same work as a real verification and answers false: used when the account does not
   * exist, so response time does not tell whether a login id is registered.
   */
  verifyDummy(password: string): Promise<false>;
}

export function createPasswordHasher(params: Argon2Params = DEFAULT_ARGON2): PasswordHasher {
  const options = { ...params, algorithm: ARGON2ID };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, options),
    verify: (passwordHash, password) => verify(passwordHash, password),
    async verifyDummy(password) {
      dummy ??= hash(randomBytes(18).toString('base64'), options);
      await verify(await dummy, password);
      return false;
    },
  };
}

/** One-off hashing with the production parameters (demo data and seeds hash a password once and reuse it). */
export function hashPassword(password: string, params: Argon2Params = DEFAULT_ARGON2): Promise<string> {
  return hash(password, { ...params, algorithm: ARGON2ID });
}
