import { engineOf, isUniqueViolation, toIso, type Knex } from '@goorm/common';
import { DAYS, eligibilityOf, maskToGrades, type CartItem, type Category, type Day, type Meeting } from '@goorm/contracts';

type Db = Knex | Knex.Transaction;

/** Whose cart: a student, with the major and grade their token carries (for eligibility) when it does. */
export interface CartOwner {
  id: number;
  majorId?: number | undefined;
  grade?: number | undefined;
}

/** What the add rules need to know about one cart entry or candidate section. */
export interface CartLecture {
  sectionId: number;
  lectureId: number;
  lectureCode: string;
  credits: number;
}


/**
 * Takes the student's row lock (auth's table, read only) on MySQL so one student's parallel adds
 * serialise and cannot both pass the credit check; SQLite write transactions are serial already.
 * Answers whether the student exists.
 */
export async function lockStudent(trx: Knex.Transaction, studentId: number): Promise<boolean> {
  const q = trx('student').select('id').where('id', studentId);
  if (engineOf(trx as unknown as Knex) === 'mysql') q.forUpdate();
  return (await q.first()) !== undefined;
}

/** The section if it exists in the current term; one query. */
export async function findCurrentSection(db: Db, sectionId: number): Promise<CartLecture | undefined> {
  const row = await db('section as s')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .join('term as t', 't.id', 's.term_id')
    .where('s.id', sectionId)
    .where('t.is_current', true)
    .first<{ id: number; lecture_id: number; code: string; credits: number } | undefined>('s.id', 's.lecture_id', 'l.code', 'l.credits');
  return row && { sectionId: Number(row.id), lectureId: Number(row.lecture_id), lectureCode: row.code, credits: Number(row.credits) };
}

/** A student's stored major and grade (auth's row, read only), for staff looking at their cart; one query. */
export async function findStudent(db: Db, studentId: number): Promise<Required<CartOwner> | undefined> {
  const row = await db('student').select<{ id: number; major_id: number; grade: number }[]>('id', 'major_id', 'grade').where('id', studentId).first();
  return row ? { id: Number(row.id), majorId: Number(row.major_id), grade: Number(row.grade) } : undefined;
}

/** The student's current-term cart, reduced to what the add rules check; one query. */
export async function cartLectures(db: Db, studentId: number): Promise<CartLecture[]> {
  const rows = await db('cart_item as ci')
    .join('section as s', 's.id', 'ci.section_id')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .join('term as t', 't.id', 's.term_id')
    .where('ci.student_id', studentId)
    .where('t.is_current', true)
    .select<{ section_id: number; lecture_id: number; code: string; credits: number }[]>('ci.section_id', 's.lecture_id', 'l.code', 'l.credits');
  return rows.map((r) => ({ sectionId: Number(r.section_id), lectureId: Number(r.lecture_id), lectureCode: r.code, credits: Number(r.credits) }));
}

export async function insertCartItem(trx: Knex.Transaction, studentId: number, sectionId: number, now: Date): Promise<void> {
  await trx('cart_item').insert({ student_id: studentId, section_id: sectionId, created_at: now });
}

/**
 * Deletes cart items whose student (auth's row) or section (lectures' row) no longer exists: the
 * owners of those rows delete them without touching this table (services write only their own
 * tables). One statement; answers how many went.
 */
export async function purgeOrphanedItems(db: Knex): Promise<number> {
  return db('cart_item')
    .whereNotExists(db('student').select(db.raw('1')).whereRaw('student.id = cart_item.student_id'))
    .orWhereNotExists(db('section').select(db.raw('1')).whereRaw('section.id = cart_item.section_id'))
    .delete();
}

export async function deleteCartItem(db: Db, studentId: number, sectionId: number): Promise<number> {
  return db('cart_item').where({ student_id: studentId, section_id: sectionId }).delete();
}

interface ItemRow {
  section_id: number;
  created_at: unknown;
  term_id: number;
  section_no: number;
  room: string;
  capacity: number;
  grade_mask: number;
  enrolled: number | string | null;
  cart_count: number | string;
  professor_id: number;
  professor_name: string;
  professor_name_en: string;
  lecture_id: number;
  code: string;
  title: string;
  title_en: string;
  credits: number;
  category: Category;
  lecture_major_id: number;
}

/**
 * The student's current-term cart with section, lecture, professor, seat and cart counts (one
 * join; the cart count is a correlated count on the cart_item(section_id) index), then all their
 * meetings and allowed majors in one whereIn each: three queries whatever the cart's size. Each
 * section carries the owner's eligibility (from the major and grade of their token).
 */
export async function listCart(db: Knex, owner: CartOwner): Promise<CartItem[]> {
  const rows = await db('cart_item as ci')
    .join('section as s', 's.id', 'ci.section_id')
    .join('term as t', 't.id', 's.term_id')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .join('professor as p', 'p.id', 's.professor_id')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('ci.student_id', owner.id)
    .where('t.is_current', true)
    .orderBy([{ column: 'ci.created_at' }, { column: 'ci.section_id' }])
    .select<ItemRow[]>(
      'ci.section_id',
      'ci.created_at',
      's.term_id',
      's.section_no',
      's.room',
      's.capacity',
      's.grade_mask',
      'ss.enrolled',
      db.raw('(select count(*) from cart_item cc where cc.section_id = s.id) as cart_count'),
      's.professor_id',
      'p.name as professor_name',
      'p.name_en as professor_name_en',
      's.lecture_id',
      'l.code',
      'l.title',
      'l.title_en',
      'l.credits',
      'l.category',
      'l.major_id as lecture_major_id',
    );
  if (rows.length === 0) return [];

  const ids = rows.map((r) => r.section_id);
  const [meetingRows, majorRows] = await Promise.all([
    db('section_meeting')
      .whereIn('section_id', ids)
      .select<{ section_id: number; day: Day; start_period: number; end_period: number }[]>('section_id', 'day', 'start_period', 'end_period'),
    db('section_major').whereIn('section_id', ids).orderBy('major_id').select<{ section_id: number; major_id: number }[]>('section_id', 'major_id'),
  ]);
  const meetings = new Map<number, Meeting[]>();
  for (const m of meetingRows) {
    const list = meetings.get(Number(m.section_id)) ?? [];
    list.push({ day: m.day, startPeriod: Number(m.start_period), endPeriod: Number(m.end_period) });
    meetings.set(Number(m.section_id), list);
  }
  for (const list of meetings.values()) {
    list.sort((a, b) => DAYS.indexOf(a.day) - DAYS.indexOf(b.day) || a.startPeriod - b.startPeriod);
  }
  const majors = new Map<number, number[]>();
  for (const m of majorRows) majors.set(Number(m.section_id), [...(majors.get(Number(m.section_id)) ?? []), Number(m.major_id)]);
  const student = owner.majorId !== undefined && owner.grade !== undefined ? { majorId: owner.majorId, grade: owner.grade } : undefined;

  return rows.map((r) => {
    const id = Number(r.section_id);
    const restrictions = { grades: maskToGrades(Number(r.grade_mask)), allowedMajorIds: majors.get(id) ?? [] };
    return {
      sectionId: id,
      addedAt: toIso(r.created_at),
      section: {
        id,
        termId: Number(r.term_id),
        lectureId: Number(r.lecture_id),
        sectionNo: Number(r.section_no),
        professorId: Number(r.professor_id),
        capacity: Number(r.capacity),
        enrolled: Number(r.enrolled ?? 0),
        cartCount: Number(r.cart_count),
        room: r.room,
        ...restrictions,
        meetings: meetings.get(id) ?? [],
        lecture: {
          id: Number(r.lecture_id),
          code: r.code,
          title: r.title,
          titleEn: r.title_en ?? '',
          credits: Number(r.credits),
          category: r.category,
          majorId: Number(r.lecture_major_id),
        },
        professor: { id: Number(r.professor_id), name: r.professor_name, nameEn: r.professor_name_en ?? '' },
        eligibility: eligibilityOf(restrictions, student),
      },
    };
  });
}

export { isUniqueViolation };
