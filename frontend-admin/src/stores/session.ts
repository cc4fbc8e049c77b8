import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { LoginResult, User } from '@goorm/contracts';
import { ApiError, auth, client } from '../api/client.ts';
import type { AsyncStatus } from './async.ts';

const STORAGE_KEY = 'goorm.admin.session';
/** Why the sign-in page is shown: the session ran out, a call was refused as not staff, or the user signed out. */
export type SessionNotice = 'expired' | 'forbidden' | 'loggedOut' | 'notStaff';

type StaffUser = Extract<User, { role: 'staff' }>;
/** A staff sign-in as the login answer gave it (a student's answer is never kept). */
export type StaffSession = Omit<LoginResult, 'user'> & { user: StaffUser };

const isStaffSession = (s: LoginResult): s is StaffSession => s.user.role === 'staff';

function readStored(now: number): { session?: StaffSession; notice?: SessionNotice } {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return {};
    const s = JSON.parse(raw) as LoginResult;
    if (!s.accessToken || !isStaffSession(s)) {
      localStorage.removeItem(STORAGE_KEY);
      return { notice: 'notStaff' };
    }
    if (Date.parse(s.expiresAt) <= now) {
      localStorage.removeItem(STORAGE_KEY);
      return { notice: 'expired' };
    }
    return { session: s };
  } catch {
    localStorage.removeItem(STORAGE_KEY);
    return {};
  }
}

/** The signed-in staff member and their token, kept across reloads in localStorage. */
export const useSessionStore = defineStore('session', () => {
  const stored = readStored(Date.now());
  const session = ref<StaffSession | undefined>(stored.session);
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const notice = ref<SessionNotice | undefined>(stored.notice);

  const isAuthenticated = computed(() => session.value !== undefined);
  const user = computed(() => session.value?.user);

  // The one place that reacts to the session ending: a 401 on a signed-in call, or FORBIDDEN (not a staff token).
  client.configure({
    getToken: () => session.value?.accessToken,
    onUnauthorized: () => end('expired'),
    onError: (e) => {
      if (e.is('FORBIDDEN')) end('forbidden');
    },
  });

  function save(s: StaffSession | undefined) {
    session.value = s;
    if (s) localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    else localStorage.removeItem(STORAGE_KEY);
  }

  async function login(loginId: string, password: string): Promise<boolean> {
    status.value = 'loading';
    error.value = undefined;
    notice.value = undefined;
    try {
      const answer = await auth.login({ body: { role: 'staff', loginId, password }, anonymous: true });
      if (!isStaffSession(answer)) {
        notice.value = 'notStaff';
        status.value = 'error';
        return false;
      }
      save(answer);
      status.value = 'done';
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.value = e;
      status.value = 'error';
      return false;
    }
  }

  function end(reason: SessionNotice) {
    if (!session.value) return;
    save(undefined);
    status.value = 'idle';
    notice.value = reason;
  }

  function logout() {
    save(undefined);
    status.value = 'idle';
    notice.value = 'loggedOut';
  }

  return { session, status, error, notice, isAuthenticated, user, login, logout, end };
});
