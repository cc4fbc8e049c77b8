import type { FieldError } from '@goorm/contracts';
import { ApiError } from './client.ts';

/** The API's message for one field of a refused form (`body.capacity`, `row 3.termId`), to show at that field. */
export function fieldErrorsOf(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  let list: FieldError[] = [];
  if (e.is('VALIDATION_FAILED', 'CAPACITY_BELOW_ENROLLED', 'SCHEDULE_CONFLICT', 'DUPLICATE', 'IN_USE', 'CONFLICT')) list = e.problem.errors ?? [];
  const out: Record<string, string> = {};
  for (const f of list) {
    const key = f.field.replace(/^body\./, '');
    out[key] = out[key] ? `${out[key]}; ${f.message}` : f.message;
  }
  return out;
}
