import { ref } from 'vue';
import { ApiError } from '../../../api/client.ts';
import { fieldErrorsOf } from '../../../api/problems.ts';
import type { AsyncStatus } from '../../../stores/async.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/**
 * One kind of call a catalog store makes (load, save, delete): its explicit state, the refusal and
 * the refusal's field errors (`body.capacity` → `capacity`). Anything but an ApiError is a bug and rethrown.
 */
export function createRequest() {
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const fieldErrors = ref<Record<string, string>>({});

  async function run<T>(call: () => Promise<T>): Promise<Outcome<T>> {
    status.value = 'loading';
    error.value = undefined;
    fieldErrors.value = {};
    try {
      const value = await call();
      status.value = 'done';
      return { ok: true, value };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.value = e;
      fieldErrors.value = fieldErrorsOf(e);
      status.value = 'error';
      return { ok: false, error: e };
    }
  }

  function reset() {
    status.value = 'idle';
    error.value = undefined;
    fieldErrors.value = {};
  }

  return { status, error, fieldErrors, run, reset };
}
