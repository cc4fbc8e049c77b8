/** Auth: sign-in, the caller, and staff-only student and staff accounts, under /api/auth. */
import { z } from 'zod';
import { gradeSchema, ROLES } from './domain.ts';
import { endpoint, idField, idParam, idParams, pageOf, pageQuery, serviceContract } from './endpoint.ts';

// ---- sign-in and the caller ---------------------------------------------------------------------

export const loginBody = z.object({
  role: z.enum(ROLES),
  /** Student number for students, login id for staff. */
  loginId: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
});
export type LoginInput = z.output<typeof loginBody>;

export const studentUserSchema = z.object({
  id: z.number().int(),
  role: z.literal('student'),
  studentNo: z.string(),
  name: z.string(),
  majorId: z.number().int(),
  grade: z.number().int(),
  maxCredits: z.number().int(),
});
export const staffUserSchema = z.object({
  id: z.number().int(),
  role: z.literal('staff'),
  loginId: z.string(),
  name: z.string(),
});
/** The signed-in caller as stored (never a password hash). */
export const userSchema = z.discriminatedUnion('role', [studentUserSchema, staffUserSchema]);
export type User = z.output<typeof userSchema>;

export const loginResponse = z.object({
  /** EdDSA JWT; a student's carries `majorId` and `grade` as they were at sign-in. */
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: z.string(),
  user: userSchema,
});
export type LoginResult = z.output<typeof loginResponse>;

// ---- accounts -----------------------------------------------------------------------------------

export const studentNoSchema = z.string().regex(/^\d{8}$/, 'must be exactly 8 digits');
export const personNameSchema = z.string().trim().min(1).max(64);
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(128);
const maxCreditsSchema = z.number().int().min(1).max(30);

const studentFields = {
  studentNo: studentNoSchema,
  name: personNameSchema,
  majorId: idField,
  grade: gradeSchema,
};

export const createStudentBody = z.object({
  ...studentFields,
  maxCredits: maxCreditsSchema.default(18),
  password: passwordSchema,
});
export type CreateStudentInput = z.output<typeof createStudentBody>;

/** Same fields as create; `password` resets it when given, `maxCredits` keeps the stored value when left out. */
export const updateStudentBody = z.object({
  ...studentFields,
  maxCredits: maxCreditsSchema.optional(),
  password: passwordSchema.optional(),
});
export type UpdateStudentInput = z.output<typeof updateStudentBody>;

export const listStudentsQuery = z.object({
  /** Part of the name or of the student number. */
  q: z.string().trim().max(64).optional(),
  majorId: idParam.optional(),
  grade: z.coerce.number().int().min(1).max(4).optional(),
  ...pageQuery,
});
export type ListStudentsQuery = z.output<typeof listStudentsQuery>;

export const studentSchema = z.object({
  id: z.number().int(),
  studentNo: z.string(),
  name: z.string(),
  majorId: z.number().int(),
  grade: z.number().int(),
  maxCredits: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Student = z.output<typeof studentSchema>;
export const studentPageSchema = pageOf(studentSchema);
export type StudentPage = z.output<typeof studentPageSchema>;

/** Lower-cased so that login ids compare the same on MySQL (case-insensitive collation) and SQLite. */
export const staffLoginIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, '3–64 characters: letters, digits, ".", "_" or "-"');

export const createStaffBody = z.object({
  loginId: staffLoginIdSchema,
  name: personNameSchema,
  password: passwordSchema,
});
export type CreateStaffInput = z.output<typeof createStaffBody>;

/** Same fields as create; `password` resets it when given. */
export const updateStaffBody = z.object({
  loginId: staffLoginIdSchema,
  name: personNameSchema,
  password: passwordSchema.optional(),
});
export type UpdateStaffInput = z.output<typeof updateStaffBody>;

export const listStaffQuery = z.object({
  /** Part of the name or of the login id. */
  q: z.string().trim().max(64).optional(),
  ...pageQuery,
});
export type ListStaffQuery = z.output<typeof listStaffQuery>;

export const staffSchema = z.object({
  id: z.number().int(),
  loginId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Staff = z.output<typeof staffSchema>;
export const staffPageSchema = pageOf(staffSchema);
export type StaffPage = z.output<typeof staffPageSchema>;

// ---- endpoints ----------------------------------------------------------------------------------

const login = ['login'];
const students = ['students'];
const staff = ['staff'];

export const authApi = serviceContract('/api/auth', {
  login: endpoint({
    method: 'post',
    path: '/login',
    summary:
      'Sign in as a student (student number) or a staff member (login id); answers an access token (Cache-Control: no-store). An unknown account and a wrong password get the same 401; too many failures, per account or per client address, 429 with Retry-After',
    tags: login,
    access: 'public',
    body: loginBody,
    responses: { 200: { description: 'Signed in', schema: loginResponse, headers: { 'Cache-Control': 'no-store: the answer holds an access token' } } },
    errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
  }),
  me: endpoint({
    method: 'get',
    path: '/me',
    summary: 'The signed-in caller, as stored now (404 when the account was deleted since sign-in)',
    tags: login,
    access: 'authenticated',
    responses: { 200: { description: 'The caller', schema: userSchema } },
    errors: ['NOT_FOUND'],
  }),

  listStudents: endpoint({
    method: 'get',
    path: '/students',
    summary: 'Search students (name or student number), by major and grade, paginated',
    tags: students,
    access: 'staff',
    query: listStudentsQuery,
    responses: { 200: { description: 'A page of students', schema: studentPageSchema } },
  }),
  getStudent: endpoint({
    method: 'get',
    path: '/students/:id',
    summary: 'One student',
    tags: students,
    access: 'staff',
    params: idParams,
    responses: { 200: { description: 'The student', schema: studentSchema } },
    errors: ['NOT_FOUND'],
  }),
  createStudent: endpoint({
    method: 'post',
    path: '/students',
    summary: 'Create a student account (400 naming body.majorId for an unknown major; 409 DUPLICATE for a taken student number)',
    tags: students,
    access: 'staff',
    body: createStudentBody,
    responses: { 201: { description: 'Created', schema: studentSchema, headers: { Location: 'The new student' } } },
    errors: ['VALIDATION_FAILED', 'DUPLICATE'],
  }),
  updateStudent: endpoint({
    method: 'put',
    path: '/students/:id',
    summary: 'Replace a student account (password optional: resets it when given)',
    tags: students,
    access: 'staff',
    params: idParams,
    body: updateStudentBody,
    responses: { 200: { description: 'Updated', schema: studentSchema } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'DUPLICATE'],
  }),
  deleteStudent: endpoint({
    method: 'delete',
    path: '/students/:id',
    summary: 'Delete a student account (refused while they hold enrollments)',
    tags: students,
    access: 'staff',
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['NOT_FOUND', 'IN_USE'],
  }),

  listStaff: endpoint({
    method: 'get',
    path: '/staff',
    summary: 'Search staff accounts (name or login id), paginated',
    tags: staff,
    access: 'staff',
    query: listStaffQuery,
    responses: { 200: { description: 'A page of staff accounts', schema: staffPageSchema } },
  }),
  getStaff: endpoint({
    method: 'get',
    path: '/staff/:id',
    summary: 'One staff account',
    tags: staff,
    access: 'staff',
    params: idParams,
    responses: { 200: { description: 'The staff account', schema: staffSchema } },
    errors: ['NOT_FOUND'],
  }),
  createStaff: endpoint({
    method: 'post',
    path: '/staff',
    summary: 'Create a staff account (409 DUPLICATE for a taken login id)',
    tags: staff,
    access: 'staff',
    body: createStaffBody,
    responses: { 201: { description: 'Created', schema: staffSchema, headers: { Location: 'The new staff account' } } },
    errors: ['DUPLICATE'],
  }),
  updateStaff: endpoint({
    method: 'put',
    path: '/staff/:id',
    summary: 'Replace a staff account (password optional: resets it when given)',
    tags: staff,
    access: 'staff',
    params: idParams,
    body: updateStaffBody,
    responses: { 200: { description: 'Updated', schema: staffSchema } },
    errors: ['NOT_FOUND', 'DUPLICATE'],
  }),
  deleteStaff: endpoint({
    method: 'delete',
    path: '/staff/:id',
    summary: 'Delete a staff account (not your own: 409 CONFLICT)',
    tags: staff,
    access: 'staff',
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['NOT_FOUND', 'CONFLICT'],
  }),
});
