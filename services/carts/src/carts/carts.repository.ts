import { engineOf, isUniqueViolation, toIso, type Knex } from '@goorm/common';

type Db = Knex | Knex.Transaction;

export interface Meeting {
  day: string;
  startPeriod: number;
  endPeriod: number;
}

export interface CartSection {
  id: number;
  sectionNo: number;
  room: string;
  capacity: number;
  enrolled: number;
  cartCount: number;
  meetings: Meeting[];
  professor: { id: number; name: string };
  lecture: { id: number; code: string; title: string; credits: number; category: string };
}

export interface CartItem {
  sectionId: number;
  addedAt: string;
  section: CartSection;
}

/** What the add rules need to know about one cart entry or candidate section. */
export interface CartLecture {
  sectionId: number;
  lectureId: number;
  lectureCode: string;
  credits: number;
}

const DAY_ORDER = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

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

export async function deleteCartItem(db: Db, studentId: number, sectionId: number): Promise<number> {
  return db('cart_item').where({ student_id: studentId, section_id: sectionId }).delete();
}

interface ItemRow {
  section_id: number;
  created_at: unknown;
  section_no: number;
  room: string;
  capacity: number;
  enrolled: number | string | null;
  cart_count: number | string;
  professor_id: number;
  professor_name: string;
  lecture_id: number;
  code: string;
  title: string;
  credits: number;
  category: string;
}

/**
 * The student's current-term cart with section, lecture, professor, seat and cart counts (one
 * join; the cart count is a correlated count on the cart_item(section_id) index), then all their
 * meetings in one whereIn: two queries whatever the cart's size.
 */
export async function listCart(db: Knex, studentId: number): Promise<CartItem[]> {
  const rows = await db('cart_item as ci')
    .join('section as s', 's.id', 'ci.section_id')
    .join('term as t', 't.id', 's.term_id')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .join('professor as p', 'p.id', 's.professor_id')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('ci.student_id', studentId)
    .where('t.is_current', true)
    .orderBy([{ column: 'ci.created_at' }, { column: 'ci.section_id' }])
    .select<ItemRow[]>(
      'ci.section_id',
      'ci.created_at',
      's.section_no',
      's.room',
      's.capacity',
      'ss.enrolled',
      db.raw('(select count(*) from cart_item cc where cc.section_id = s.id) as cart_count'),
      's.professor_id',
      'p.name as professor_name',
      's.lecture_id',
      'l.code',
      'l.title',
      'l.credits',
      'l.category',
    );
  if (rows.length === 0) return [];

  const meetingRows = await db('section_meeting')
    .whereIn(
      'section_id',
      rows.map((r) => r.section_id),
    )
    .select<{ section_id: number; day: string; start_period: number; end_period: number }[]>('section_id', 'day', 'start_period', 'end_period');
  const meetings = new Map<number, Meeting[]>();
  for (const m of meetingRows) {
    const list = meetings.get(Number(m.section_id)) ?? [];
    list.push({ day: m.day, startPeriod: Number(m.start_period), endPeriod: Number(m.end_period) });
    meetings.set(Number(m.section_id), list);
  }
  for (const list of meetings.values()) {
    list.sort((a, b) => DAY_ORDER.indexOf(a.day) - DAY_ORDER.indexOf(b.day) || a.startPeriod - b.startPeriod);
  }

  return rows.map((r) => ({
    sectionId: Number(r.section_id),
    addedAt: toIso(r.created_at),
    section: {
      id: Number(r.section_id),
      sectionNo: Number(r.section_no),
      room: r.room,
      capacity: Number(r.capacity),
      enrolled: Number(r.enrolled ?? 0),
      cartCount: Number(r.cart_count),
      meetings: meetings.get(Number(r.section_id)) ?? [],
      professor: { id: Number(r.professor_id), name: r.professor_name },
      lecture: { id: Number(r.lecture_id), code: r.code, title: r.title, credits: Number(r.credits), category: r.category },
    },
  }));
}

export { isUniqueViolation };
