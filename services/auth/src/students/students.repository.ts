import { toIso, withTransaction, type Knex } from '@goorm/common';
import { containsPattern } from '@goorm/common';
import type { Student } from '@goorm/contracts';
import { revokeTokens, updateAccount } from '../db/revocations.ts';

export interface StudentCredentials extends Student {
  passwordHash: string;
}

export interface StudentWrite {
  studentNo: string;
  name: string;
  majorId: number;
  grade: number;
  maxCredits?: number;
  passwordHash?: string;
}

export interface StudentFilter {
  q?: string | undefined;
  majorId?: number | undefined;
  grade?: number | undefined;
  page: number;
  size: number;
}

const COLUMNS = ['id', 'student_no', 'name', 'major_id', 'grade', 'max_credits', 'created_at', 'updated_at'];

interface StudentRow {
  id: number;
  student_no: string;
  name: string;
  major_id: number;
  grade: number;
  max_credits: number;
  created_at: unknown;
  updated_at: unknown;
  password_hash?: string;
}

function toStudent(r: StudentRow): Student {
  return {
    id: Number(r.id),
    studentNo: r.student_no,
    name: r.name,
    majorId: Number(r.major_id),
    grade: Number(r.grade),
    maxCredits: Number(r.max_credits),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

export type DeleteOutcome = 'deleted' | 'not_found' | 'in_use';

export function createStudentsRepository(db: Knex) {
  return {
    async findById(id: number): Promise<Student | undefined> {
      const row = (await db('student').select(COLUMNS).where({ id }).first()) as StudentRow | undefined;
      return row ? toStudent(row) : undefined;
    },

    /** The only read that carries the password hash (login). */
    async findCredentials(studentNo: string): Promise<StudentCredentials | undefined> {
      const row = (await db('student').select([...COLUMNS, 'password_hash']).where({ student_no: studentNo }).first()) as StudentRow | undefined;
      return row ? { ...toStudent(row), passwordHash: row.password_hash! } : undefined;
    },

    /** One count and one page query, whatever the page size. */
    async list(f: StudentFilter): Promise<{ items: Student[]; total: number }> {
      const filtered = db('student').modify((qb) => {
        if (f.q) {
          const pattern = containsPattern(f.q);
          qb.where((w) => w.whereRaw("name like ? escape '!'", [pattern]).orWhereRaw("student_no like ? escape '!'", [pattern]));
        }
        if (f.majorId !== undefined) qb.where('major_id', f.majorId);
        if (f.grade !== undefined) qb.where('grade', f.grade);
      });
      const counted = (await filtered.clone().count({ n: '*' }).first()) as { n: number | string } | undefined;
      const rows = (await filtered
        .clone()
        .select(COLUMNS)
        .orderBy('student_no')
        .limit(f.size)
        .offset((f.page - 1) * f.size)) as StudentRow[];
      return { items: rows.map(toStudent), total: Number(counted?.n ?? 0) };
    },

    /** Reads the catalog's major table (owned by lectures). */
    async majorExists(majorId: number): Promise<boolean> {
      return (await db('major').select('id').where({ id: majorId }).first()) !== undefined;
    },

    async insert(s: Required<StudentWrite>, now: Date): Promise<number> {
      const [id] = await db('student').insert({
        student_no: s.studentNo,
        name: s.name,
        major_id: s.majorId,
        grade: s.grade,
        max_credits: s.maxCredits,
        password_hash: s.passwordHash,
        created_at: now,
        updated_at: now,
      });
      return Number(id);
    },

    /** Fields left undefined keep their stored value. Answers false when there is no such student. */
    async update(id: number, s: StudentWrite, now: Date): Promise<boolean> {
      return updateAccount(
        db,
        'student',
        id,
        {
          student_no: s.studentNo,
          name: s.name,
          major_id: s.majorId,
          grade: s.grade,
          ...(s.maxCredits !== undefined ? { max_credits: s.maxCredits } : {}),
          ...(s.passwordHash !== undefined ? { password_hash: s.passwordHash } : {}),
          updated_at: now,
        },
        now,
      );
    },

    /**
     * Deletes a student who holds no enrollment. Locks the student's row first (the lock the
     * enrollment service takes per student), so no enrollment can slip in between the check and
     * the delete. Reads the enrollment table (owned by enrollment).
     */
    async deleteUnlessEnrolled(id: number): Promise<DeleteOutcome> {
      return withTransaction(db, async (trx) => {
        const student = await trx('student').select('id').where({ id }).forUpdate().first();
        if (!student) return 'not_found';
        const held = await trx('enrollment').select('id').where({ student_id: id }).first();
        if (held) return 'in_use';
        await trx('student').where({ id }).delete();
        await revokeTokens(trx, 'student', id, 'DELETED', new Date());
        return 'deleted';
      });
    },
  };
}

export type StudentsRepository = ReturnType<typeof createStudentsRepository>;
