import type { Express, RequestHandler } from 'express';
import { ApiRouter, createServiceApp, type Knex, type Logger, type Metrics, type TokenSigner, type TokenVerifier } from '@goorm/common';
import { authApi } from '@goorm/contracts';
import { createLoginRepository } from './login/login.repository.ts';
import { loginRoutes } from './login/login.routes.ts';
import { createLoginService, DEFAULT_THROTTLE, type ThrottlePolicy } from './login/login.service.ts';
import { createPasswordHasher, type PasswordHasher } from './passwords/passwords.service.ts';
import { createStaffRepository } from './staff/staff.repository.ts';
import { staffRoutes } from './staff/staff.routes.ts';
import { createStaffService } from './staff/staff.service.ts';
import { createStudentsRepository } from './students/students.repository.ts';
import { studentsRoutes } from './students/students.routes.ts';
import { createStudentsService } from './students/students.service.ts';

export interface AuthAppDeps {
  db: Knex;
  verifier: TokenVerifier;
  /** Holds the private key: only the auth service signs tokens. */
  signer: TokenSigner;
  logger: Logger;
  metrics: Metrics;
  readiness: () => Promise<void>;
  clock?: () => Date;
  /** argon2id with the production parameters unless given. */
  passwords?: PasswordHasher;
  tokenTtlSeconds?: number;
  throttle?: ThrottlePolicy;
  accessLog?: boolean;
  /** Rate limiters in front of POST /api/auth/login (per client address). */
  loginLimiters?: RequestHandler[];
}

/** The auth service: login, the caller, staff-only student and staff accounts. Never listens. */
export function createApp(deps: AuthAppDeps): Express {
  const clock = deps.clock ?? (() => new Date());
  const passwords = deps.passwords ?? createPasswordHasher();
  const students = createStudentsRepository(deps.db);
  const staff = createStaffRepository(deps.db);

  const api = new ApiRouter(deps.verifier, authApi);
  loginRoutes(
    api,
    createLoginService({
      login: createLoginRepository(deps.db),
      students,
      staff,
      passwords,
      signer: deps.signer,
      clock,
      tokenTtlSeconds: deps.tokenTtlSeconds ?? 7200,
      throttle: deps.throttle ?? DEFAULT_THROTTLE,
    }),
  );
  studentsRoutes(api, createStudentsService({ students, passwords, clock }));
  staffRoutes(api, createStaffService({ staff, passwords, clock }));

  return createServiceApp({
    name: 'auth',
    description: 'Student and staff accounts, login and access tokens',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
    routers: [api],
    configure: (app) => {
      if (deps.loginLimiters?.length) app.use('/api/auth/login', ...deps.loginLimiters);
    },
    ...(deps.accessLog !== undefined ? { accessLog: deps.accessLog } : {}),
  });
}
