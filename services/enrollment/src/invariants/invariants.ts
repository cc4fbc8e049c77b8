import type { Knex } from '@goorm/common';
import { ADDING_ACTIONS } from '../enrollments/enrollments.repository.ts';

/**
 * The invariant checker: inspects a database (any time, any engine) and reports every breach of
 * the registration rules. Each check is one set-based SQL statement, so it stays fast on 100k
 * enrollments; the benchmark and the tests run it after every race.
 */

export type BreachKind =
  | 'SEAT_OVER_CAPACITY'
  | 'COUNTER_MISMATCH'
  | 'RESERVATION_COUNTER_MISMATCH'
  | 'TWO_SECTIONS_OF_LECTURE'
  | 'LECTURE_MISMATCH'
  | 'TIME_OVERLAP'
  | 'CREDITS_OVER_MAX'
  | 'MISSING_OK_EVENT'
  | 'WAITLIST_SEAT_IDLE'
  | 'WAITLIST_RANK_TIE'
  | 'WAITLISTED_HOLDS_LECTURE';

export interface Breach {
  kind: BreachKind;
  detail: string;
  [key: string]: unknown;
}

export interface InvariantReport {
  breaches: Breach[];
  /** Breaches by kind (all of them, even past the per-kind listing limit). */
  counts: Partial<Record<BreachKind, number>>;
  checked: { termId: number | null; sections: number; enrollments: number; students: number; events: number };
}

export interface CheckOptions {
  /** Only this term's sections and enrollments. */
  termId?: number | undefined;
  /** Breaches listed per kind (the counts are exact). Default 100. */
  limit?: number | undefined;
  /** The instant reservations are judged released at (WAITLIST_SEAT_IDLE). Default: now. */
  now?: Date | undefined;
}

type Row = Record<string, unknown>;

async function rowsOf(db: Knex, sql: string, bindings: readonly unknown[]): Promise<Row[]> {
  const res = (await db.raw(sql, bindings as Knex.RawBinding[])) as unknown;
  // mysql2 answers [rows, fields]; better-sqlite3 answers rows.
  return (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as Row[];
}

const n = (v: unknown) => Number(v ?? 0);

export async function checkInvariants(db: Knex, opts: CheckOptions = {}): Promise<InvariantReport> {
  const termId = opts.termId;
  const limit = opts.limit ?? 100;
  const t = termId === undefined ? [] : [termId];
  const sectionTerm = termId === undefined ? '' : 'and s.term_id = ?';
  const enrollTerm = (alias: string) => (termId === undefined ? '' : `and ${alias}.term_id = ?`);
  const adding = ADDING_ACTIONS.map((a) => `'${a}'`).join(', ');
  const counts: Partial<Record<BreachKind, number>> = {};
  const breaches: Breach[] = [];

  const run = async (kind: BreachKind, sql: string, bindings: unknown[], describe: (r: Row) => { detail: string } & Record<string, unknown>) => {
    const rows = await rowsOf(db, sql, bindings);
    if (rows.length) counts[kind] = rows.length;
    for (const r of rows.slice(0, limit)) breaches.push({ kind, ...describe(r) });
  };

  const perSection = `(select section_id, count(*) as n, sum(over_capacity) as over_n from enrollment group by section_id)`;

  // Seats over capacity: the counter or the rows above capacity, less seats staff granted past capacity on purpose.
  await run(
    'SEAT_OVER_CAPACITY',
    `select s.id as section_id, s.capacity, coalesce(ss.enrolled, 0) as enrolled, coalesce(c.n, 0) as n, coalesce(c.over_n, 0) as over_n
     from section s
     left join section_seat ss on ss.section_id = s.id
     left join ${perSection} c on c.section_id = s.id
     where (coalesce(ss.enrolled, 0) > s.capacity + coalesce(c.over_n, 0) or coalesce(c.n, 0) > s.capacity + coalesce(c.over_n, 0)) ${sectionTerm}`,
    t,
    (r) => ({
      sectionId: n(r.section_id),
      // seats taken past capacity (the larger of counter and rows), less the staff-granted ones
      oversold: Math.max(n(r.enrolled), n(r.n)) - n(r.capacity) - n(r.over_n),
      detail: `section ${n(r.section_id)}: ${n(r.n)} rows / counter ${n(r.enrolled)} over capacity ${n(r.capacity)} (+${n(r.over_n)} staff-granted)`,
    }),
  );

  // Seat counters that differ from their rows (also rows with no counter at all).
  await run(
    'COUNTER_MISMATCH',
    `select x.section_id, coalesce(ss.enrolled, 0) as enrolled, coalesce(c.n, 0) as n
     from (select section_id from section_seat union select section_id from enrollment) x
     join section s on s.id = x.section_id
     left join section_seat ss on ss.section_id = x.section_id
     left join ${perSection} c on c.section_id = x.section_id
     where coalesce(ss.enrolled, 0) <> coalesce(c.n, 0) ${sectionTerm}`,
    t,
    (r) => ({ sectionId: n(r.section_id), detail: `section ${n(r.section_id)}: counter ${n(r.enrolled)} but ${n(r.n)} enrollment rows` }),
  );

  await run(
    'RESERVATION_COUNTER_MISMATCH',
    `select x.reservation_id, coalesce(rs.used, 0) as used, coalesce(c.n, 0) as n
     from (select reservation_id from reservation_seat union select reservation_id from enrollment where reservation_id is not null) x
     left join reservation_seat rs on rs.reservation_id = x.reservation_id
     left join (select reservation_id, count(*) as n from enrollment where reservation_id is not null group by reservation_id) c on c.reservation_id = x.reservation_id
     left join section s on s.id = rs.section_id
     where coalesce(rs.used, 0) <> coalesce(c.n, 0) ${sectionTerm}`,
    t,
    (r) => ({ reservationId: n(r.reservation_id), detail: `reservation ${n(r.reservation_id)}: counter ${n(r.used)} but ${n(r.n)} enrollment rows` }),
  );

  await run(
    'TWO_SECTIONS_OF_LECTURE',
    `select e.student_id, s.lecture_id, count(*) as n
     from enrollment e join section s on s.id = e.section_id
     where 1 = 1 ${enrollTerm('e')}
     group by e.student_id, s.term_id, s.lecture_id having count(*) > 1`,
    t,
    (r) => ({ studentId: n(r.student_id), lectureId: n(r.lecture_id), detail: `student ${n(r.student_id)} holds ${n(r.n)} sections of lecture ${n(r.lecture_id)}` }),
  );

  await run(
    'LECTURE_MISMATCH',
    `select e.student_id, e.section_id, e.lecture_id, s.lecture_id as section_lecture_id
     from enrollment e join section s on s.id = e.section_id
     where (e.lecture_id <> s.lecture_id or e.term_id <> s.term_id) ${enrollTerm('e')}`,
    t,
    (r) => ({
      studentId: n(r.student_id),
      sectionId: n(r.section_id),
      detail: `enrollment of student ${n(r.student_id)} in section ${n(r.section_id)} says lecture ${n(r.lecture_id)}, the section is of lecture ${n(r.section_lecture_id)}`,
    }),
  );

  await run(
    'TIME_OVERLAP',
    `select e1.student_id, e1.section_id as section_a, e2.section_id as section_b, m1.day, m1.start_period as a_start, m1.end_period as a_end, m2.start_period as b_start, m2.end_period as b_end
     from enrollment e1
     join enrollment e2 on e2.student_id = e1.student_id and e2.term_id = e1.term_id and e1.section_id < e2.section_id
     join section_meeting m1 on m1.section_id = e1.section_id
     join section_meeting m2 on m2.section_id = e2.section_id and m2.day = m1.day
       and m1.start_period <= m2.end_period and m2.start_period <= m1.end_period
     where 1 = 1 ${enrollTerm('e1')}`,
    t,
    (r) => ({
      studentId: n(r.student_id),
      sectionIds: [n(r.section_a), n(r.section_b)],
      detail: `student ${n(r.student_id)}: sections ${n(r.section_a)} (${String(r.day)} ${n(r.a_start)}-${n(r.a_end)}) and ${n(r.section_b)} (${n(r.b_start)}-${n(r.b_end)}) overlap`,
    }),
  );

  await run(
    'CREDITS_OVER_MAX',
    `select e.student_id, e.term_id, sum(l.credits) as total, st.max_credits
     from enrollment e
     join section s on s.id = e.section_id
     join lecture l on l.id = s.lecture_id
     join student st on st.id = e.student_id
     where 1 = 1 ${enrollTerm('e')}
     group by e.student_id, e.term_id, st.max_credits
     having sum(l.credits) > st.max_credits`,
    t,
    (r) => ({
      studentId: n(r.student_id),
      detail: `student ${n(r.student_id)} holds ${n(r.total)} credits in term ${n(r.term_id)}, maximum ${n(r.max_credits)}`,
    }),
  );

  await run(
    'MISSING_OK_EVENT',
    `select e.student_id, e.section_id
     from enrollment e
     where not exists (
       select 1 from enrollment_event ev
       where ev.student_id = e.student_id and ev.section_id = e.section_id and ev.outcome = 'OK' and ev.action in (${adding})
     ) ${enrollTerm('e')}`,
    t,
    (r) => ({
      studentId: n(r.student_id),
      sectionId: n(r.section_id),
      detail: `enrollment of student ${n(r.student_id)} in section ${n(r.section_id)} has no OK event`,
    }),
  );

  // Waitlists (README "Waitlists"), at quiescence: no open seat while a student the rules would
  // let in waits for it (the seats reservations still hold back are not open); positions strictly
  // ordered (no two entries of a section share a rank); nobody waits for a lecture they hold.
  const now = opts.now ?? new Date();
  await run(
    'WAITLIST_SEAT_IDLE',
    `select w.section_id, min(w.student_id) as student_id, count(*) as n, s.capacity, coalesce(ss.enrolled, 0) as enrolled
     from waitlist_entry w
     join section s on s.id = w.section_id
     join lecture l on l.id = s.lecture_id
     join student st on st.id = w.student_id
     left join section_seat ss on ss.section_id = s.id
     where coalesce(ss.enrolled, 0) + coalesce((
         select sum(case when sr.seats > coalesce(rs.used, 0) then sr.seats - coalesce(rs.used, 0) else 0 end)
         from section_reservation sr left join reservation_seat rs on rs.reservation_id = sr.id
         where sr.section_id = s.id and sr.release_at > ?), 0) < s.capacity
       and (s.grade_mask & (1 << (st.grade - 1))) <> 0
       and (not exists (select 1 from section_major sm where sm.section_id = s.id)
            or exists (select 1 from section_major sm where sm.section_id = s.id and sm.major_id = st.major_id))
       and not exists (select 1 from enrollment e where e.student_id = w.student_id and e.lecture_id = s.lecture_id)
       and coalesce((select sum(l2.credits) from enrollment e2 join lecture l2 on l2.id = e2.lecture_id
                     where e2.student_id = w.student_id and e2.term_id = s.term_id), 0) + l.credits <= st.max_credits
       and not exists (
         select 1 from enrollment e3
         join section_meeting m1 on m1.section_id = e3.section_id
         join section_meeting m2 on m2.section_id = s.id and m2.day = m1.day and m1.start_period <= m2.end_period and m2.start_period <= m1.end_period
         where e3.student_id = w.student_id and e3.term_id = s.term_id)
       ${sectionTerm}
     group by w.section_id, s.capacity, ss.enrolled`,
    [now, ...t],
    (r) => ({
      sectionId: n(r.section_id),
      studentId: n(r.student_id),
      detail: `section ${n(r.section_id)} has ${n(r.capacity) - n(r.enrolled)} open seat(s) while ${n(r.n)} student(s) the rules would let in wait (the first: ${n(r.student_id)})`,
    }),
  );

  await run(
    'WAITLIST_RANK_TIE',
    `select w.section_id, w.sort_key, count(*) as n from waitlist_entry w join section s on s.id = w.section_id
     where 1 = 1 ${sectionTerm} group by w.section_id, w.sort_key having count(*) > 1`,
    t,
    (r) => ({ sectionId: n(r.section_id), detail: `section ${n(r.section_id)}: ${n(r.n)} waitlist entries share the order key ${n(r.sort_key)}` }),
  );

  await run(
    'WAITLISTED_HOLDS_LECTURE',
    `select w.student_id, w.section_id, e.section_id as held_section_id
     from waitlist_entry w
     join enrollment e on e.student_id = w.student_id and e.lecture_id = w.lecture_id and e.term_id = w.term_id
     join section s on s.id = w.section_id
     where 1 = 1 ${sectionTerm}`,
    t,
    (r) => ({
      studentId: n(r.student_id),
      sectionId: n(r.section_id),
      detail: `student ${n(r.student_id)} waits for section ${n(r.section_id)} while holding section ${n(r.held_section_id)} of the same lecture`,
    }),
  );

  const [c] = await rowsOf(
    db,
    `select
       (select count(*) from section s where 1 = 1 ${sectionTerm}) as sections,
       (select count(*) from enrollment e where 1 = 1 ${enrollTerm('e')}) as enrollments,
       (select count(distinct e.student_id) from enrollment e where 1 = 1 ${enrollTerm('e')}) as students,
       (select count(*) from enrollment_event) as events`,
    [...t, ...t, ...t],
  );
  return {
    breaches,
    counts,
    checked: { termId: termId ?? null, sections: n(c?.sections), enrollments: n(c?.enrollments), students: n(c?.students), events: n(c?.events) },
  };
}
