import { request } from './http.ts';
import { num, obj, str, toStudent } from './normalize.ts';
import type { Session, Student } from './types.ts';

export async function login(studentNo: string, password: string): Promise<Session> {
  const raw = obj(
    await request<unknown>('/api/auth/login', {
      method: 'POST',
      body: { role: 'student', loginId: studentNo, password },
      anonymous: true,
    }),
  );
  const expires = str(raw.expiresAt) ?? new Date(Date.now() + (num(raw.expiresIn) ?? 3600) * 1000).toISOString();
  return { accessToken: str(raw.accessToken) ?? '', expiresAt: expires, user: toStudent(raw.user) };
}

export async function me(): Promise<Student> {
  const raw = obj(await request<unknown>('/api/auth/me'));
  return toStudent(raw.user ?? raw);
}
