import { AppError, conflict, notFound, validationFailed } from '@goorm/common';
import { isUniqueViolation } from '@goorm/common';
import type { PasswordHasher } from '../passwords/passwords.service.ts';
import type { StudentsRepository } from './students.repository.ts';
import type { CreateStudentInput, ListStudentsQuery, Student, StudentPage, UpdateStudentInput } from '@goorm/contracts';

export const duplicateStudentNo = (studentNo: string) =>
  conflict('DUPLICATE', `A student with student number ${studentNo} already exists`, {
    field: 'studentNo',
    errors: [{ field: 'body.studentNo', message: 'is already taken' }],
  });

const unknownMajor = (majorId: number) =>
  validationFailed([{ field: 'body.majorId', message: `no major with id ${majorId}` }]);

export function createStudentsService(deps: { students: StudentsRepository; passwords: PasswordHasher; clock: () => Date }) {
  const { students, passwords, clock } = deps;

  async function requireMajor(majorId: number) {
    if (!(await students.majorExists(majorId))) throw unknownMajor(majorId);
  }

  async function get(id: number): Promise<Student> {
    const s = await students.findById(id);
    if (!s) throw notFound('Student', id);
    return s;
  }

  /** Runs a write and turns a unique-key violation on student_no into 409 DUPLICATE. */
  async function uniqueStudentNo<T>(studentNo: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateStudentNo(studentNo);
      throw err;
    }
  }

  return {
    get,

    async list(q: ListStudentsQuery): Promise<StudentPage> {
      const { items, total } = await students.list(q);
      return { items, total, page: q.page, size: q.size };
    },

    async create(input: CreateStudentInput): Promise<Student> {
      await requireMajor(input.majorId);
      const passwordHash = await passwords.hash(input.password);
      const id = await uniqueStudentNo(input.studentNo, () => students.insert({ ...input, passwordHash }, clock()));
      return get(id);
    },

    async update(id: number, input: UpdateStudentInput): Promise<Student> {
      if (!(await students.findById(id))) throw notFound('Student', id);
      await requireMajor(input.majorId);
      const passwordHash = input.password === undefined ? undefined : await passwords.hash(input.password);
      const found = await uniqueStudentNo(input.studentNo, () => students.update(id, { ...input, passwordHash }, clock()));
      if (!found) throw notFound('Student', id);
      return get(id);
    },

    async remove(id: number): Promise<void> {
      const outcome = await students.deleteUnlessEnrolled(id);
      if (outcome === 'not_found') throw notFound('Student', id);
      if (outcome === 'in_use') {
        throw new AppError('IN_USE', { detail: `Student ${id} still holds enrollments; drop them first` });
      }
    },
  };
}

export type StudentsService = ReturnType<typeof createStudentsService>;
