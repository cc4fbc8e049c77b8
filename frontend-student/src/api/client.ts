/**
 * The app's one HTTP client: the contract's client core (`@goorm/contracts/client`: fetch, the Bearer
 * token, a request id per call, problem+json → a typed `ApiError`, one 401 hook) and the services
 * bound to it, every call typed by an endpoint of the contract. The session store sets the token
 * source and the 401 hook (`client.configure`).
 */
import { aiApi, authApi, cartsApi, enrollmentApi, ERRORS, lecturesApi, problemType, type ErrorCode, type Problem } from '@goorm/contracts';
import { ApiError, createClient } from '@goorm/contracts/client';
import { config } from '../config.ts';

export const client = createClient({ baseUrl: config.apiBase });

export const auth = client.bind(authApi);
export const lectures = client.bind(lecturesApi);
export const carts = client.bind(cartsApi);
export const enrollment = client.bind(enrollmentApi);
export const ai = client.bind(aiApi);

/** Any failure as an ApiError: a refusal as it came, anything else (a bug, a broken answer) as INTERNAL. */
export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return new ApiError({ status: 0, code: 'INTERNAL', detail, problem: bareProblem('INTERNAL', 0, detail) });
}

/**
 * A problem document of a code without extension members, made by the app itself (TypeScript cannot check a
 * generic code's members against the contract: hence the one cast).
 */
export function bareProblem<C extends ErrorCode>(code: C, status: number, detail?: string): Problem<C> {
  return { type: problemType(code), title: ERRORS[code].title, status, code, detail } as unknown as Problem<C>;
}
