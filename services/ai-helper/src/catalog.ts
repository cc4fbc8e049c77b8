/**
 * The AI helper's view of the current term, read from the shared database (read-only; in
 * production a read replica, see docs/decisions/0008-ai-helper-trained-in-typescript-reads-the-database.md): sections with
 * meetings, restrictions and seats, lectures, professors, majors, every cart item with its holder's
 * major and grade, and the fill history of past terms. Loaded in a fixed number of queries,
 * aggregated once (`buildTermStats`) and shared by every request until it is older than the TTL; a
 * refresh runs in the background while the previous view keeps answering.
 */
import type { Knex } from '@goorm/common';
import type { Category, Day } from '@goorm/contracts';
import { buildTermStats, fillMinutesFromEvents, type CatalogLecture, type CatalogSection, type FillHistory, type TermStats } from './features.ts';

export interface CatalogView {
  termId: number;
  stats: TermStats;
  history: FillHistory;
  majors: Map<number, { name: string; college: string }>;
  professors: Map<number, { name: string; nameEn: string }>;
  lectureInfo: Map<number, { code: string; titleEn: string }>;
  sectionInfo: Map<number, { sectionNo: number; room: string }>;
  loadedAt: number;
}

const levelOf = (code: string) => Number(/\d/.exec(code)?.[0] ?? 1);
const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v).replace(' ', 'T') + (String(v).endsWith('Z') ? '' : 'Z')));

export async function loadCatalog(db: Knex): Promise<CatalogView | undefined> {
  const term = await db('term').where({ is_current: true }).first('id');
  if (!term) return undefined;
  const termId = Number(term.id);
  const [sections, meetings, restrictions, seats, lectures, professors, majors, studentCounts, carts] = await Promise.all([
    db('section').where({ term_id: termId }).select('id', 'lecture_id', 'professor_id', 'capacity', 'grade_mask', 'section_no', 'room'),
    db('section_meeting as m').join('section as s', 's.id', 'm.section_id').where('s.term_id', termId).select('m.section_id', 'm.day', 'm.start_period', 'm.end_period'),
    db('section_major as sm').join('section as s', 's.id', 'sm.section_id').where('s.term_id', termId).select('sm.section_id', 'sm.major_id'),
    db('section_seat as ss').join('section as s', 's.id', 'ss.section_id').where('s.term_id', termId).select('ss.section_id', 'ss.enrolled'),
    db('lecture').select('id', 'code', 'title', 'title_en', 'credits', 'category', 'major_id'),
    db('professor').select('id', 'name', 'name_en'),
    db('major').select('id', 'name', 'college'),
    db('student').select('major_id', 'grade').count({ n: '*' }).groupBy('major_id', 'grade') as Promise<Array<{ major_id: number; grade: number; n: number | string }>>,
    db('cart_item as c')
      .join('section as s', 's.id', 'c.section_id')
      .join('student as st', 'st.id', 'c.student_id')
      .where('s.term_id', termId)
      .select('c.section_id', 'c.student_id', 'st.major_id', 'st.grade'),
  ]);
  const meetingsOf = new Map<number, { day: Day; startPeriod: number; endPeriod: number }[]>();
  for (const m of meetings) {
    const list = meetingsOf.get(Number(m.section_id)) ?? [];
    list.push({ day: m.day as Day, startPeriod: Number(m.start_period), endPeriod: Number(m.end_period) });
    meetingsOf.set(Number(m.section_id), list);
  }
  const majorsOf = new Map<number, number[]>();
  for (const r of restrictions) majorsOf.set(Number(r.section_id), [...(majorsOf.get(Number(r.section_id)) ?? []), Number(r.major_id)]);
  const enrolledOf = new Map(seats.map((s) => [Number(s.section_id), Number(s.enrolled)]));
  const catalogSections: CatalogSection[] = sections.map((s) => ({
    id: Number(s.id),
    lectureId: Number(s.lecture_id),
    professorId: Number(s.professor_id),
    capacity: Number(s.capacity),
    enrolled: enrolledOf.get(Number(s.id)) ?? 0,
    gradeMask: Number(s.grade_mask),
    allowedMajorIds: majorsOf.get(Number(s.id)) ?? [],
    meetings: meetingsOf.get(Number(s.id)) ?? [],
  }));
  const catalogLectures = new Map<number, CatalogLecture>(
    lectures.map((l) => [
      Number(l.id),
      { id: Number(l.id), title: String(l.title), credits: Number(l.credits), category: l.category as Category, majorId: Number(l.major_id), level: levelOf(String(l.code)) },
    ]),
  );
  const majorMap = new Map(majors.map((m) => [Number(m.id), { name: String(m.name), college: String(m.college) }]));
  const studentsByMajorGrade = new Map(studentCounts.map((r) => [`${Number(r.major_id)}:${Number(r.grade)}`, Number(r.n)]));
  const stats = buildTermStats({
    sections: catalogSections,
    lectures: catalogLectures,
    carts: carts.map((c) => ({ student: { id: Number(c.student_id), majorId: Number(c.major_id), grade: Number(c.grade) }, sectionId: Number(c.section_id) })),
    studentsByMajorGrade,
    collegeOfMajor: new Map([...majorMap].map(([id, m]) => [id, m.college])),
  });
  return {
    termId,
    stats,
    history: await loadFillHistory(db, termId),
    majors: majorMap,
    professors: new Map(professors.map((p) => [Number(p.id), { name: String(p.name), nameEn: String(p.name_en ?? '') }])),
    lectureInfo: new Map(lectures.map((l) => [Number(l.id), { code: String(l.code), titleEn: String(l.title_en ?? '') }])),
    sectionInfo: new Map(sections.map((s) => [Number(s.id), { sectionNo: Number(s.section_no), room: String(s.room) }])),
    loadedAt: Date.now(),
  };
}

/** Past terms' fill times per lecture and professor, from the enrollment service's own rows (windows and OK enroll events). */
async function loadFillHistory(db: Knex, currentTermId: number): Promise<FillHistory> {
  const [sections, windows, events] = await Promise.all([
    db('section').whereNot({ term_id: currentTermId }).select('id', 'term_id', 'lecture_id', 'professor_id', 'capacity', 'grade_mask'),
    db('enrollment_window').whereNot({ term_id: currentTermId }).select('term_id', 'phase', 'grade_mask', 'opens_at', 'closes_at'),
    db('enrollment_event as e')
      .join('section as s', 's.id', 'e.section_id')
      .whereNot('s.term_id', currentTermId)
      .whereIn('e.action', ['ENROLL', 'OVERRIDE_ENROLL'])
      .where('e.outcome', 'OK')
      .select('e.section_id', 'e.created_at', 's.term_id'),
  ]);
  const lecture = new Map<number, (number | null)[]>();
  const professor = new Map<number, (number | null)[]>();
  const termIds = [...new Set(sections.map((s) => Number(s.term_id)))].sort((a, b) => a - b);
  for (const termId of termIds) {
    const termSections = sections.filter((s) => Number(s.term_id) === termId);
    const fills = fillMinutesFromEvents(
      termSections.map((s) => ({ id: Number(s.id), capacity: Number(s.capacity), gradeMask: Number(s.grade_mask) })),
      events.filter((e) => Number(e.term_id) === termId).map((e) => ({ section_id: Number(e.section_id), created_at: date(e.created_at) })),
      windows
        .filter((w) => Number(w.term_id) === termId)
        .map((w) => ({ phase: String(w.phase), grade_mask: Number(w.grade_mask), opens_at: date(w.opens_at), closes_at: date(w.closes_at) })),
    );
    for (const s of termSections) {
      const m = fills.get(Number(s.id)) ?? null;
      lecture.set(Number(s.lecture_id), [...(lecture.get(Number(s.lecture_id)) ?? []), m]);
      professor.set(Number(s.professor_id), [...(professor.get(Number(s.professor_id)) ?? []), m]);
    }
  }
  return { lecture, professor };
}

/** The shared view: loaded on first use, refreshed in the background once older than `ttlMs`, one load at a time. */
export class CatalogCache {
  private current: CatalogView | undefined;
  private loading: Promise<CatalogView | undefined> | undefined;

  constructor(
    private readonly db: Knex,
    private readonly ttlMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  async get(): Promise<CatalogView | undefined> {
    if (!this.current) return this.refresh();
    if (Date.now() - this.current.loadedAt > this.ttlMs) void this.refresh().catch(this.onError);
    return this.current;
  }

  refresh(): Promise<CatalogView | undefined> {
    this.loading ??= loadCatalog(this.db)
      .then((view) => (this.current = view))
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}
