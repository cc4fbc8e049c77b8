import { ApiError } from '../../../api/client.ts';
import { fieldErrorsOf } from '../../../api/problems.ts';

/** What a write ended in: done with the answer, or refused with the problem and its field messages. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError; fields: Record<string, string> };

/** Runs one API write and turns a refusal into an Outcome (anything that is not an ApiError is rethrown). */
export async function attempt<T>(write: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await write() };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { ok: false, error: e, fields: fieldErrorsOf(e) };
  }
}
