import { AppError, notFound, unauthenticated, type AuthUser, type TokenSigner } from '@goorm/common';
import type { PasswordHasher } from '../passwords/passwords.service.ts';
import type { StaffRepository } from '../staff/staff.repository.ts';
import type { StudentsRepository } from '../students/students.repository.ts';
import type { LoginRepository, ThrottleState } from './login.repository.ts';
import type { LoginInput, LoginResult, User } from '@goorm/contracts';

/** maxFailures attempts per (role, login id) within windowSeconds; one more locks it for lockSeconds. */
export interface ThrottlePolicy {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowSeconds: 900, lockSeconds: 900 };

/** The same words whether the account is unknown or the password is wrong. */
export const BAD_CREDENTIALS = 'The login id or the password is incorrect';

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', {
    detail: `Too many failed logins; try again in ${retryAfterSeconds} seconds`,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    extra: { retryAfterSeconds },
  });

/**
 * Charges one attempt before the password is checked (a success clears the row afterwards), so
 * parallel guesses are counted even while their argon2 checks are still running. Attempts beyond
 * maxFailures in the window are refused and lock the key; attempts during a lock change nothing
 * (they do not extend it); a window or a lock that has passed starts afresh.
 */
export function chargeAttempt(
  current: ThrottleState | undefined,
  now: Date,
  policy: ThrottlePolicy,
): { next?: ThrottleState; result: { retryAfterSeconds?: number } } {
  if (current?.lockedUntil && current.lockedUntil > now) {
    return { result: { retryAfterSeconds: Math.max(1, Math.ceil((current.lockedUntil.getTime() - now.getTime()) / 1000)) } };
  }
  const fresh =
    !current || current.lockedUntil !== null || now.getTime() - current.windowStartedAt.getTime() >= policy.windowSeconds * 1000;
  const failures = fresh ? 1 : current.failures + 1;
  const windowStartedAt = fresh ? now : current.windowStartedAt;
  if (failures > policy.maxFailures) {
    const lockedUntil = new Date(now.getTime() + policy.lockSeconds * 1000);
    return { next: { failures, windowStartedAt, lockedUntil }, result: { retryAfterSeconds: policy.lockSeconds } };
  }
  return { next: { failures, windowStartedAt, lockedUntil: null }, result: {} };
}

interface Account {
  user: User;
  token: AuthUser;
  passwordHash: string;
}

export function createLoginService(deps: {
  login: LoginRepository;
  students: StudentsRepository;
  staff: StaffRepository;
  passwords: PasswordHasher;
  signer: TokenSigner;
  clock: () => Date;
  tokenTtlSeconds: number;
  throttle: ThrottlePolicy;
}) {
  const { login, students, staff, passwords, signer, clock } = deps;

  async function findAccount(input: LoginInput, loginId: string): Promise<Account | undefined> {
    if (input.role === 'student') {
      const s = await students.findCredentials(loginId);
      if (!s) return undefined;
      return {
        user: { id: s.id, role: 'student', studentNo: s.studentNo, name: s.name, majorId: s.majorId, grade: s.grade, maxCredits: s.maxCredits },
        // The token carries the major and grade as of sign-in (display facts for other services, e.g. cart eligibility).
        token: { id: s.id, role: 'student', loginId: s.studentNo, name: s.name, majorId: s.majorId, grade: s.grade },
        passwordHash: s.passwordHash,
      };
    }
    const s = await staff.findCredentials(loginId);
    if (!s) return undefined;
    return {
      user: { id: s.id, role: 'staff', loginId: s.loginId, name: s.name },
      token: { id: s.id, role: 'staff', loginId: s.loginId, name: s.name },
      passwordHash: s.passwordHash,
    };
  }

  return {
    async login(input: LoginInput): Promise<LoginResult> {
      // Staff login ids are stored lower-cased; student numbers are digits.
      const loginId = input.loginId.toLowerCase();
      const key = `${input.role}:${loginId}`;
      const charged = await login.updateThrottle(key, (current) => chargeAttempt(current, clock(), deps.throttle));
      if (charged.retryAfterSeconds !== undefined) throw rateLimited(charged.retryAfterSeconds);

      const account = await findAccount(input, loginId);
      const ok = account ? await passwords.verify(account.passwordHash, input.password) : await passwords.verifyDummy(input.password);
      if (!account || !ok) throw unauthenticated(BAD_CREDENTIALS);

      await login.clearThrottle(key);
      const { token, expiresAt } = await signer.sign(account.token, deps.tokenTtlSeconds, clock());
      return { accessToken: token, tokenType: 'Bearer', expiresAt: expiresAt.toISOString(), user: account.user };
    },

    /** The caller as stored now. */
    async me(caller: AuthUser): Promise<User> {
      if (caller.role === 'student') {
        const s = await students.findById(caller.id);
        if (!s) throw notFound('Student', caller.id);
        return { id: s.id, role: 'student', studentNo: s.studentNo, name: s.name, majorId: s.majorId, grade: s.grade, maxCredits: s.maxCredits };
      }
      const s = await staff.findById(caller.id);
      if (!s) throw notFound('Staff member', caller.id);
      return { id: s.id, role: 'staff', loginId: s.loginId, name: s.name };
    },
  };
}

export type LoginService = ReturnType<typeof createLoginService>;
