import { setResponseCheck, type ResponseViolation } from '../http.ts';

export interface ContractCheck {
  /** The violations seen since the last call, cleared. */
  take(): ResponseViolation[];
  /** Puts back the check that was on before (if any). */
  stop(): void;
}

/**
 * From now on, every answer a contract route sends (status declared, JSON body valid against the declared
 * schema, no member the schema lacks) and every problem document (a known code with exactly its declared
 * members) is checked, and each violation recorded. `setup.ts` turns this on for every service test file
 * and fails the test that caused a violation.
 */
export function checkResponsesAgainstContract(): ContractCheck {
  const seen: ResponseViolation[] = [];
  const previous = setResponseCheck((v) => seen.push(v));
  return {
    take: () => seen.splice(0),
    stop: () => void setResponseCheck(previous),
  };
}

export function formatViolations(violations: readonly ResponseViolation[]): string {
  return violations.map((v) => `  ${v.route} → ${v.status}: ${v.message}`).join('\n');
}
