import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import * as authApi from '../api/auth.ts';
import { ApiError, setTokenSource } from '../api/http.ts';
import type { Session } from '../api/types.ts';
import type { AsyncStatus } from './async.ts';

const STORAGE_KEY = 'goorm.student.session';
export type SessionNotice = 'expired' | 'loggedOut';

function readStored(now: number): { session?: Session; notice?: SessionNotice } {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return {};
    const s = JSON.parse(raw) as Session;
    if (!s.accessToken || Date.parse(s.expiresAt) <= now) {
      localStorage.removeItem(STORAGE_KEY);
      return { notice: 'expired' };
    }
    return { session: s };
  } catch {
    localStorage.removeItem(STORAGE_KEY);
    return {};
  }
}

/** The signed-in student and their token, kept across reloads in localStorage. */
export const useSessionStore = defineStore('session', () => {
  const stored = readStored(Date.now());
  const session = ref<Session | undefined>(stored.session);
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const notice = ref<SessionNotice | undefined>(stored.notice);

  const isAuthenticated = computed(() => session.value !== undefined);
  const user = computed(() => session.value?.user);

  setTokenSource(() => session.value?.accessToken);

  function save(s: Session | undefined) {
    session.value = s;
    if (s) localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    else localStorage.removeItem(STORAGE_KEY);
  }

  async function login(studentNo: string, password: string): Promise<boolean> {
    status.value = 'loading';
    error.value = undefined;
    notice.value = undefined;
    try {
      save(await authApi.login(studentNo, password));
      status.value = 'done';
      void refreshUser();
      return true;
    } catch (e) {
      error.value = e instanceof ApiError ? e : new ApiError({ status: 0, code: 'INTERNAL', detail: String(e) });
      status.value = 'error';
      return false;
    }
  }

  /** Fills grade, major and max credits from /api/auth/me when the login answer lacked them. */
  async function refreshUser(): Promise<void> {
    if (!session.value) return;
    const u = session.value.user;
    if (u.grade !== undefined && u.majorId !== undefined && u.maxCredits !== undefined) return;
    const fresh = await authApi.me().catch(() => undefined);
    if (fresh && session.value) save({ ...session.value, user: { ...u, ...definedOnly(fresh) } });
  }

  function logout(reason: SessionNotice = 'loggedOut') {
    save(undefined);
    status.value = 'idle';
    notice.value = reason;
  }

  /** The one reaction to a 401: forget the token and say why at the login page. */
  function expire() {
    if (session.value) logout('expired');
  }

  return { session, status, error, notice, isAuthenticated, user, login, logout, expire, refreshUser };
});

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && v !== 0)) as Partial<T>;
}
