/**
 * Vitest setup of every service project (vitest.config.ts): each answer a supertest call receives is
 * checked against the route's declared schema in @goorm/contracts, and the test fails on drift.
 */
import { afterEach } from 'vitest';
import { checkResponsesAgainstContract, formatViolations } from './contract-check.ts';

const check = checkResponsesAgainstContract();

afterEach(() => {
  const violations = check.take();
  if (violations.length > 0) {
    throw new Error(`answers that break the API contract (@goorm/contracts):\n${formatViolations(violations)}`);
  }
});
