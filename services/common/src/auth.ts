import type { RequestHandler } from 'express';
import { forbidden, unauthenticated } from './errors.ts';
import type { Access } from '@goorm/contracts';
import { TokenInvalidError, type AuthUser, type Role, type TokenVerifier } from './tokens.ts';

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

/** Who may call a route (declared on each endpoint of the contract). */
export type { Access } from '@goorm/contracts';

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1];
}

/** Authenticates when a token is present; rejects a bad token; requires the given access. */
export function authenticate(verifier: TokenVerifier, access: Access): RequestHandler {
  const roles: readonly Role[] | undefined =
    access === 'public' || access === 'authenticated' ? undefined : typeof access === 'string' ? [access] : access;
  return async (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      if (access === 'public') return next();
      return next(unauthenticated());
    }
    try {
      req.user = await verifier.verify(token);
    } catch (err) {
      if (err instanceof TokenInvalidError) {
        return next(unauthenticated(err.message));
      }
      return next(err);
    }
    if (roles && !roles.includes(req.user.role)) {
      return next(forbidden(`This route is for ${roles.join(' or ')} only`));
    }
    next();
  };
}
