import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { ApiError } from '@goorm/contracts/client';
import * as authApi from '../api/auth.ts';
import type { StudentSession } from '../api/auth.ts';
import { asApiError, bareProblem, client } from '../api/client.ts';
import type { AsyncStatus } from './async.ts';

const STORAGE_KEY = 'goorm.student.session';
export type SessionNotice = 'expired' | 'loggedOut';

function readStored(now: number): { session?: StudentSession; notice?: SessionNotice } {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return {};
    const s = JSON.parse(raw) as StudentSession;
    // A session stored by an older app (no role) or by anyone but a student is not kept either.
    if (!s.accessToken || s.user?.role !== 'student' || Date.parse(s.expiresAt) <= now) {
      localStorage.removeItem(STORAGE_KEY);
      return { notice: 'expired' };
    }
    return { session: s };
  } catch {
    localStorage.removeItem(STORAGE_KEY);
    return {};
  }
}

/** The refusal of a sign-in that answered another role than student (the student app is for students only). */
const notAStudent = () =>
  new ApiError({
    status: 403,
    code: 'FORBIDDEN',
    detail: 'Only student accounts sign in to the student app',
    problem: bareProblem('FORBIDDEN', 403, 'Only student accounts sign in to the student app'),
  });

/** The signed-in student and their token, kept across reloads in localStorage. */
export const useSessionStore = defineStore('session', () => {
  const stored = readStored(Date.now());
  const session = ref<StudentSession | undefined>(stored.session);
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const notice = ref<SessionNotice | undefined>(stored.notice);

  const isAuthenticated = computed(() => session.value !== undefined);
  const user = computed(() => session.value?.user);

  // The client sends this session's token, and a 401 on a signed-in call ends the session (expire, once, here).
  client.configure({ getToken: () => session.value?.accessToken, onUnauthorized: () => useSessionStore().expire() });

  function save(s: StudentSession | undefined) {
    session.value = s;
    if (s) localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    else localStorage.removeItem(STORAGE_KEY);
  }

  async function login(studentNo: string, password: string): Promise<boolean> {
    status.value = 'loading';
    error.value = undefined;
    notice.value = undefined;
    try {
      const result = await authApi.login(studentNo, password);
      const { user: signedIn } = result;
      if (signedIn.role !== 'student') throw notAStudent();
      save({ ...result, user: signedIn });
      status.value = 'done';
      return true;
    } catch (e) {
      error.value = asApiError(e);
      status.value = 'error';
      return false;
    }
  }

  function logout(reason: SessionNotice = 'loggedOut') {
    save(undefined);
    status.value = 'idle';
    notice.value = reason;
  }

  /** The one reaction to a 401: forget the token and say why at the login page (the router then goes there). */
  function expire() {
    if (session.value) logout('expired');
  }

  return { session, status, error, notice, isAuthenticated, user, login, logout, expire };
});
