import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, jwtVerify, importPKCS8, importSPKI, errors as joseErrors, type CryptoKey, type KeyObject } from 'jose';
import { z } from 'zod';

import { ROLES, type Role } from '@goorm/contracts';
import { ConfigError } from './config.ts';

export { ROLES, type Role };

/** Who is calling, as carried by a verified access token. */
export interface AuthUser {
  id: number;
  role: Role;
  loginId: string;
  name: string;
  /** A student's major and grade when the token was issued: display facts (cart eligibility), never a registration rule. */
  majorId?: number;
  grade?: number;
}

export const JWT_ALG = 'EdDSA';

const claimsSchema = z.object({
  sub: z.string().regex(/^\d+$/),
  role: z.enum(ROLES),
  loginId: z.string(),
  name: z.string(),
  majorId: z.number().int().positive().optional(),
  grade: z.number().int().min(1).max(4).optional(),
  /** When the token was issued, in ms (`iat` has whole seconds: a revocation in the same second could not tell before from after). */
  iatMs: z.number().int().nonnegative().optional(),
});

export interface TokenSettings {
  issuer: string;
  audience: string;
}

type Key = CryptoKey | KeyObject;

export interface TokenSigner {
  sign(user: AuthUser, ttlSeconds: number, now?: Date): Promise<{ token: string; expiresAt: Date }>;
}

export async function createTokenSigner(privateKeyPem: string, settings: TokenSettings): Promise<TokenSigner> {
  const key: Key = await importPKCS8(privateKeyPem, JWT_ALG);
  return {
    async sign(user, ttlSeconds, now = new Date()) {
      const iat = Math.floor(now.getTime() / 1000);
      const exp = iat + ttlSeconds;
      const token = await new SignJWT({
        iatMs: now.getTime(),
        role: user.role,
        loginId: user.loginId,
        name: user.name,
        ...(user.majorId === undefined ? {} : { majorId: user.majorId }),
        ...(user.grade === undefined ? {} : { grade: user.grade }),
      })
        .setProtectedHeader({ alg: JWT_ALG, typ: 'JWT' })
        .setSubject(String(user.id))
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },
  };
}

export class TokenInvalidError extends Error {
  constructor(public readonly reason: 'expired' | 'invalid' | 'revoked') {
    super(
      reason === 'expired'
        ? 'The access token has expired'
        : reason === 'revoked'
          ? 'The access token was signed out: the account was deleted or its password changed'
          : 'The access token is not valid',
    );
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<AuthUser>;
}

/**
 * Whether the account a verified token names may still use it (it was not deleted, and its
 * password did not change, after the token was issued). `issuedAtMs`: the token's `iatMs` claim, or
 * its `iat` × 1000 for a token without one. Bootstrap passes a revocation list (revocations.ts).
 */
export type AccountCheck = (user: AuthUser, issuedAtMs: number) => boolean;

export async function createTokenVerifier(
  publicKeyPem: string,
  settings: TokenSettings & { clockToleranceSeconds: number; cacheSize?: number; now?: () => number; accounts?: AccountCheck },
): Promise<TokenVerifier> {
  const key: Key = await importSPKI(publicKeyPem, JWT_ALG);
  const cacheSize = settings.cacheSize ?? 50_000;
  const now = settings.now ?? Date.now;
  const accounts = settings.accounts;
  const cache = new Map<string, { user: AuthUser; expMs: number; iatMs: number }>();
  /** A signature-valid token still needs its account (when accounts are checked). */
  const accountHolds = (user: AuthUser, iatMs: number): AuthUser => {
    if (accounts && !accounts(user, iatMs)) throw new TokenInvalidError('revoked');
    return user;
  };
  return {
    async verify(token) {
      const hit = cache.get(token);
      if (hit) {
        if (hit.expMs + settings.clockToleranceSeconds * 1000 > now()) return accountHolds(hit.user, hit.iatMs);
        cache.delete(token);
        throw new TokenInvalidError('expired');
      }
      let verified: { user: AuthUser; iatMs: number };
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [JWT_ALG],
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: settings.clockToleranceSeconds,
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'sub'],
        });
        const claims = claimsSchema.parse(payload);
        const user: AuthUser = {
          id: Number(claims.sub),
          role: claims.role,
          loginId: claims.loginId,
          name: claims.name,
          ...(claims.majorId === undefined ? {} : { majorId: claims.majorId }),
          ...(claims.grade === undefined ? {} : { grade: claims.grade }),
        };
        if (cache.size >= cacheSize) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        // The ms claim only where it agrees with the signed iat (a token of ours always does).
        const iat = payload.iat ?? 0;
        const iatMs = claims.iatMs !== undefined && Math.floor(claims.iatMs / 1000) === iat ? claims.iatMs : iat * 1000;
        cache.set(token, { user, expMs: (payload.exp ?? 0) * 1000, iatMs });
        verified = { user, iatMs };
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw new TokenInvalidError('expired');
        throw new TokenInvalidError('invalid');
      }
      return accountHolds(verified.user, verified.iatMs);
    },
  };
}

export interface KeyPairPem {
  publicKey: string;
  privateKey: string;
}

export function generateKeyPairPem(): KeyPairPem {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function devKeyPaths(dataDir: string) {
  const dir = path.resolve(dataDir, 'keys');
  return { dir, publicKey: path.join(dir, 'jwt-public.pem'), privateKey: path.join(dir, 'jwt-private.pem') };
}

/** For local runs only: generates a signing key pair under <dataDir>/keys on first start. */
export function ensureDevKeyPair(dataDir: string): { publicKeyFile: string; privateKeyFile: string } {
  const p = devKeyPaths(dataDir);
  if (!existsSync(p.privateKey) || !existsSync(p.publicKey)) {
    mkdirSync(p.dir, { recursive: true });
    const pair = generateKeyPairPem();
    writeFileSync(p.privateKey, pair.privateKey, { mode: 0o600 });
    chmodSync(p.privateKey, 0o600);
    writeFileSync(p.publicKey, pair.publicKey);
  }
  return { publicKeyFile: p.publicKey, privateKeyFile: p.privateKey };
}

/** Reads a key from inline PEM, a file, or (outside production) the dev key under DATA_DIR. */
export function resolveKey(opts: {
  inline?: string | undefined;
  file?: string | undefined;
  dataDir: string;
  kind: 'public' | 'private';
  allowDevKey: boolean;
}): string {
  if (opts.inline) return opts.inline.replace(/\\n/g, '\n');
  if (opts.file) return readFileSync(opts.file, 'utf8');
  if (!opts.allowDevKey) {
    throw new ConfigError([`No JWT ${opts.kind} key configured (set JWT_${opts.kind.toUpperCase()}_KEY or JWT_${opts.kind.toUpperCase()}_KEY_FILE)`]);
  }
  const files = ensureDevKeyPair(opts.dataDir);
  return readFileSync(opts.kind === 'public' ? files.publicKeyFile : files.privateKeyFile, 'utf8');
}
