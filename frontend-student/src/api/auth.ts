import type { LoginResult, User } from '@goorm/contracts';
import { auth } from './client.ts';

/** The student variant of the signed-in user (the app accepts no other). */
export type StudentUser = Extract<User, { role: 'student' }>;
/** The login answer, once it is known to be a student's: what the session store keeps. */
export type StudentSession = Omit<LoginResult, 'user'> & { user: StudentUser };

/** Signs in as a student (student number and password); the answer may still name another role, which the session refuses. */
export function login(studentNo: string, password: string): Promise<LoginResult> {
  return auth.login({ body: { role: 'student', loginId: studentNo, password }, anonymous: true });
}
