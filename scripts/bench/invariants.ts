/**
 * What must hold after a run, whatever the speed (BENCHMARK.md "Invariants"): the enrollment
 * service's own checker (capacity, counters, one section per lecture, no overlap, credits, an OK
 * event per row) plus the bench's checks of what the clients saw against the database:
 * every 201 is a row and every row was answered 201 exactly once; every refusal carries the right
 * code (SECTION_FULL really was full at that moment per the event log; the rule refusals follow
 * from what the student held); zero 5xx; zero dropped connections; no service crashed.
 *
 * Rows the opening did not answer for (cart auto-enrollment before it, a waitlist promotion by
 * the sweeper) are told apart by their OK event: they are left out of "every row was answered
 * 201", the auto-enrolled sections are what each student held when the opening began, and the
 * seats they took count as taken when a SECTION_FULL is judged. `checkAfterDrops` checks the
 * state once the drop phase has gone quiet (the waitlist invariants only mean something then).
 */
import { toIso, type Knex } from '@goorm/common';
import type { University } from '@goorm/demo-data';
import { checkInvariants, type InvariantReport } from '../../services/enrollment/src/invariants/invariants.ts';
import type { Outcome } from './opening.ts';

export interface BenchBreach {
  kind: string;
  detail: string;
}

export interface InvariantResult {
  service: InvariantReport;
  breaches: BenchBreach[];
  /** Breaches by kind (exact; the list keeps the first few of each). */
  counts: Record<string, number>;
  checked: {
    enrollments: number;
    answers201: number;
    sectionFullEvents: number;
    refusalsChecked: number;
    /** Rows whose OK event is AUTO_ENROLL (held before the opening). */
    autoEnrolledRows: number;
    /** Rows whose OK event is WAITLIST_PROMOTE (the sweeper's, during the opening). */
    promotedRows: number;
    /** Refusals of students promoted during the opening: what they held then is not known exactly. */
    refusalsUnchecked: number;
  };
}

/** Actions whose OK event adds a row the opening's clients never asked for. */
const NOT_THE_OPENINGS = new Set(['AUTO_ENROLL', 'WAITLIST_PROMOTE']);
/** Actions whose OK event takes a seat (the service's ADDING_ACTIONS). */
const ADDING = new Set(['ENROLL', 'SWAP', 'OVERRIDE_ENROLL', 'WAITLIST_PROMOTE', 'AUTO_ENROLL']);

const LIST_PER_KIND = 20;

async function rows<T>(db: Knex, sql: string, bindings: Knex.RawBinding[] = []): Promise<T[]> {
  const r = (await db.raw(sql, bindings)) as unknown;
  return (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as T[];
}

export interface CheckInput {
  db: Knex;
  university: University;
  outcomes: Outcome[];
  /** 5xx answers seen by the clients (every endpoint, side traffic included). */
  serverErrors: number;
  /** Requests that got no HTTP answer at all. */
  droppedConnections: number;
  crashes: Array<{ name: string; code: number | null; lines: string[] }>;
  /** Event log actions that the run's decisions were recorded under. */
  action?: string;
  /** The instant reservations are judged released at by the service's checker (default now). */
  now?: Date;
}

export async function checkRun(input: CheckInput): Promise<InvariantResult> {
  const { db, university: u } = input;
  const breaches: BenchBreach[] = [];
  const counts: Record<string, number> = {};
  const breach = (kind: string, detail: string) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (counts[kind]! <= LIST_PER_KIND) breaches.push({ kind, detail });
  };

  const service = await checkInvariants(db, { termId: u.currentTerm.id, limit: LIST_PER_KIND, now: input.now ?? new Date() });
  for (const b of service.breaches) breaches.push({ kind: b.kind, detail: b.detail });
  for (const [kind, n] of Object.entries(service.counts)) counts[kind] = n;

  if (input.serverErrors > 0) breach('SERVER_ERROR', `${input.serverErrors} answers with a 5xx status`);
  if (input.droppedConnections > 0) breach('DROPPED_CONNECTION', `${input.droppedConnections} requests got no HTTP answer (refused, reset or timed out)`);
  for (const c of input.crashes) breach('SERVICE_CRASHED', `${c.name} exited (code ${c.code}) during the run: ${c.lines.slice(-3).join(' | ')}`);

  // Every 201 is a row, every row was answered 201 exactly once.
  const enrolled = await rows<{ student_id: number; section_id: number; reservation_id: number | null }>(
    db,
    'select student_id, section_id, reservation_id from enrollment where term_id = ?',
    [u.currentTerm.id],
  );
  const rowKeys = new Map<string, number | null>();
  for (const r of enrolled) rowKeys.set(`${r.student_id}:${r.section_id}`, r.reservation_id === null ? null : Number(r.reservation_id));
  // Which action's OK event put each row there (the latest OK adding event of the pair).
  const okEvents = await rows<{ student_id: number; section_id: number; action: string }>(
    db,
    `select student_id, section_id, action from enrollment_event where outcome = 'OK' and action in (${[...ADDING].map(() => '?').join(', ')}) order by id`,
    [...ADDING],
  );
  const addedBy = new Map<string, string>();
  for (const e of okEvents) addedBy.set(`${e.student_id}:${e.section_id}`, e.action);
  const notOpenings = new Map<string, string>();
  for (const key of rowKeys.keys()) {
    const by = addedBy.get(key);
    if (by && NOT_THE_OPENINGS.has(by)) notOpenings.set(key, by);
  }
  const answered = new Map<string, number>();
  const otherAnswers = new Map<string, string[]>();
  for (const o of input.outcomes) {
    const key = `${o.studentId}:${o.sectionId}`;
    if (o.status === 201) answered.set(key, (answered.get(key) ?? 0) + 1);
    else otherAnswers.set(key, [...(otherAnswers.get(key) ?? []), o.status === 0 ? 'no answer' : `${o.status}${o.code ? ` ${o.code}` : ''}`]);
  }
  for (const [key, n] of answered) {
    if (!rowKeys.has(key)) breach('ANSWERED_201_WITHOUT_ROW', `student:section ${key} was answered 201 but has no enrollment row`);
    if (n > 1) breach('ANSWERED_201_TWICE', `student:section ${key} was answered 201 ${n} times`);
    const by = notOpenings.get(key);
    if (by) breach('ANSWERED_201_FOR_OTHER_ROW', `student:section ${key} was answered 201 but its row's OK event is ${by}`);
  }
  for (const key of rowKeys.keys()) {
    if (notOpenings.has(key)) continue;
    if (!answered.has(key)) breach('ROW_WITHOUT_201', `enrollment row ${key} was never answered 201 (the client saw: ${otherAnswers.get(key)?.join(', ') ?? 'nothing'})`);
  }
  let autoEnrolledRows = 0;
  let promotedRows = 0;
  const heldBefore = new Map<number, number[]>();
  const promotedStudents = new Set<number>();
  for (const [key, by] of notOpenings) {
    const [studentId, sectionId] = key.split(':').map(Number) as [number, number];
    if (by === 'AUTO_ENROLL') {
      autoEnrolledRows++;
      heldBefore.set(studentId, [...(heldBefore.get(studentId) ?? []), sectionId]);
    } else {
      promotedRows++;
      promotedStudents.add(studentId);
    }
  }

  // The rule refusals follow from what the student held at that moment (each student's requests are sequential).
  const sections = new Map(u.sections.map((s) => [s.id, s]));
  const lectures = new Map(u.lectures.map((l) => [l.id, l]));
  const studentsById = new Map(u.students.map((s) => [s.id, s]));
  const held = heldBefore;
  let refusalsChecked = 0;
  let refusalsUnchecked = 0;
  const overlaps = (a: number, b: number) =>
    sections.get(a)!.meetings.some((m) => sections.get(b)!.meetings.some((n) => m.day === n.day && m.startPeriod <= n.endPeriod && n.startPeriod <= m.endPeriod));
  for (const o of input.outcomes) {
    const mine = held.get(o.studentId) ?? [];
    const section = sections.get(o.sectionId);
    const student = studentsById.get(o.studentId);
    if (!section || !student) continue;
    // A 5xx or a lost answer may still have committed: what the student holds is what the database says.
    if (o.status === 201 || ((o.status >= 500 || o.status === 0) && rowKeys.has(`${o.studentId}:${o.sectionId}`))) {
      mine.push(o.sectionId);
      held.set(o.studentId, mine);
      continue;
    }
    // 5xx and missing answers are breaches of their own (SERVER_ERROR, DROPPED_CONNECTION).
    if (!o.code || o.status >= 500 || o.status === 0) continue;
    if (promotedStudents.has(o.studentId)) {
      refusalsUnchecked++;
      continue;
    }
    refusalsChecked++;
    const credits = mine.reduce((n, id) => n + lectures.get(sections.get(id)!.lectureId)!.credits, 0);
    const ok = (() => {
      switch (o.code) {
        case 'ALREADY_ENROLLED':
          return mine.some((id) => id === o.sectionId || sections.get(id)!.lectureId === section.lectureId);
        case 'TIME_CONFLICT':
          return mine.some((id) => overlaps(id, o.sectionId));
        case 'CREDIT_LIMIT':
          return credits + lectures.get(section.lectureId)!.credits > student.maxCredits;
        case 'NOT_ELIGIBLE':
          return (section.allowedMajorIds.length > 0 && !section.allowedMajorIds.includes(student.majorId)) || (section.gradeMask & (1 << (student.grade - 1))) === 0;
        case 'SECTION_FULL':
          return true; // checked against the event log below
        default:
          return false; // WINDOW_CLOSED, NOT_FOUND, ... : the window was open and every cart section exists
      }
    })();
    if (!ok) breach('WRONG_REFUSAL', `student ${o.studentId} section ${o.sectionId} was refused ${o.code} (${o.status}) but the rule does not apply`);
  }

  // SECTION_FULL really was full at that moment: walk the event log in id order. An OK event is
  // written before its transaction commits, and a refusal after the failed conditional UPDATE, so
  // every seat the refused transaction saw taken has an OK event with a smaller id.
  const action = input.action ?? 'ENROLL';
  // Seats taken by any adding action count (auto-enrollment, promotions); the codes compared
  // with the clients' answers below are the run's own action's only.
  const events = await rows<{ id: number; student_id: number; section_id: number; action: string; outcome: string; created_at: unknown }>(
    db,
    `select id, student_id, section_id, action, outcome, created_at from enrollment_event
     where action = ? or (outcome = 'OK' and action in (${[...ADDING].map(() => '?').join(', ')})) order by id`,
    [action, ...ADDING],
  );
  const reservations = await rows<{ id: number; section_id: number; seats: number; release_at: unknown }>(db, 'select id, section_id, seats, release_at from section_reservation');
  const reservationsOf = new Map<number, Array<{ id: number; seats: number; releaseAtMs: number }>>();
  for (const r of reservations) {
    const list = reservationsOf.get(Number(r.section_id)) ?? [];
    list.push({ id: Number(r.id), seats: Number(r.seats), releaseAtMs: Date.parse(toIso(r.release_at)) });
    reservationsOf.set(Number(r.section_id), list);
  }
  const taken = new Map<number, number>();
  const used = new Map<number, number>();
  let sectionFullEvents = 0;
  const eventCodes: Record<string, number> = {};
  for (const e of events) {
    const sectionId = Number(e.section_id);
    if (e.action === action) eventCodes[e.outcome] = (eventCodes[e.outcome] ?? 0) + 1;
    if (e.outcome === 'OK') {
      taken.set(sectionId, (taken.get(sectionId) ?? 0) + 1);
      const r = rowKeys.get(`${e.student_id}:${sectionId}`);
      if (r !== undefined && r !== null) used.set(r, (used.get(r) ?? 0) + 1);
      continue;
    }
    if (e.outcome !== 'SECTION_FULL') continue;
    sectionFullEvents++;
    const capacity = sections.get(sectionId)?.capacity ?? 0;
    const at = Date.parse(toIso(e.created_at));
    const heldBack = (reservationsOf.get(sectionId) ?? [])
      .filter((r) => r.releaseAtMs > at)
      .reduce((n, r) => n + Math.max(0, r.seats - (used.get(r.id) ?? 0)), 0);
    const before = taken.get(sectionId) ?? 0;
    if (before + heldBack < capacity) {
      breach('FULL_BUT_NOT_FULL', `event ${e.id}: section ${sectionId} refused SECTION_FULL with ${before} seats taken, ${heldBack} held back, capacity ${capacity}`);
    }
  }

  // Every decision the clients saw has its event, and no event lacks its answer.
  const seen: Record<string, number> = {};
  for (const o of input.outcomes) {
    const code = o.status === 201 ? 'OK' : o.code;
    if (code && o.status >= 200 && o.status < 500 && o.status !== 428 && o.status !== 429) seen[code] = (seen[code] ?? 0) + 1;
  }
  for (const code of new Set([...Object.keys(seen), ...Object.keys(eventCodes)])) {
    if (code === 'RATE_LIMITED' || code === 'QUEUE_REQUIRED') continue;
    if ((seen[code] ?? 0) !== (eventCodes[code] ?? 0)) {
      breach('EVENT_LOG_MISMATCH', `${code}: the clients saw ${seen[code] ?? 0} answers, the event log has ${eventCodes[code] ?? 0} ${action} events`);
    }
  }

  return {
    service,
    breaches,
    counts,
    checked: {
      enrollments: enrolled.length,
      answers201: [...answered.values()].reduce((a, b) => a + b, 0),
      sectionFullEvents,
      refusalsChecked,
      autoEnrolledRows,
      promotedRows,
      refusalsUnchecked,
    },
  };
}

/** One answer of DELETE /api/enrollments/:sectionId in the drop phase. */
export interface DropAnswer {
  studentId: number;
  sectionId: number;
  /** HTTP status, or 0 when no answer came. */
  status: number;
  code: string | undefined;
}

export interface AfterDropsInput {
  db: Knex;
  university: University;
  /** The instant the drop phase went quiet (reservations are judged released at it). */
  now: Date;
  drops: DropAnswer[];
  /** The opening's waitlist joins (who may be promoted where). */
  joins: Array<{ studentId: number; sectionId: number; status: number }>;
  /** Enrollment rows of the term, and the last enrollment_event / waitlist_event ids, when the drops began. */
  before: { rows: number; eventId: number; waitlistEventId: number };
  serverErrors: number;
  droppedConnections: number;
  crashes: Array<{ name: string; code: number | null; lines: string[] }>;
}

export interface AfterDropsResult {
  service: InvariantReport;
  breaches: BenchBreach[];
  counts: Record<string, number>;
  /** WAITLIST_PROMOTE OK events since the drops began, and the students they enrolled. */
  promoted: number;
  promotedStudents: number;
  /** waitlist_event SKIP rows since the drops began, by refusal code (a skipped entry is retried every 30 s: it may count more than once). */
  skips: number;
  skipsByCode: Record<string, number>;
  /** Distinct waiting students (student, section) skipped since the drops began. */
  skippedEntries: number;
  /** Waitlist entries of the term still waiting. */
  entriesLeft: number;
  checked: { enrollments: number; dropsAnswered200: number; dropEvents: number; promoteEvents: number };
}

/**
 * After the drop phase, at quiescence: the service's checker (with its waitlist invariants: no
 * open seat while an eligible student waits) plus the clients' view: every drop answered 200
 * removed its row and has its DROP event, the bench only drops rows it read (so no refusal is
 * right), every promotion is a row of a student who had joined that waitlist, and the row count
 * moved by exactly the drops and the promotions.
 */
export async function checkAfterDrops(input: AfterDropsInput): Promise<AfterDropsResult> {
  const { db, university: u, before } = input;
  const termId = u.currentTerm.id;
  const breaches: BenchBreach[] = [];
  const counts: Record<string, number> = {};
  const breach = (kind: string, detail: string) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (counts[kind]! <= LIST_PER_KIND) breaches.push({ kind, detail });
  };

  const service = await checkInvariants(db, { termId, limit: LIST_PER_KIND, now: input.now });
  for (const b of service.breaches) breaches.push({ kind: b.kind, detail: `after the drops: ${b.detail}` });
  for (const [kind, n] of Object.entries(service.counts)) counts[kind] = n;

  if (input.serverErrors > 0) breach('SERVER_ERROR', `${input.serverErrors} answers with a 5xx status in the drop phase`);
  if (input.droppedConnections > 0) breach('DROPPED_CONNECTION', `${input.droppedConnections} drop requests got no HTTP answer`);
  for (const c of input.crashes) breach('SERVICE_CRASHED', `${c.name} exited (code ${c.code}) during the drop phase: ${c.lines.slice(-3).join(' | ')}`);

  const enrolled = await rows<{ student_id: number; section_id: number }>(db, 'select student_id, section_id from enrollment where term_id = ?', [termId]);
  const rowKeys = new Set(enrolled.map((r) => `${r.student_id}:${r.section_id}`));
  let dropsAnswered200 = 0;
  for (const d of input.drops) {
    const key = `${d.studentId}:${d.sectionId}`;
    if (d.status === 200) {
      dropsAnswered200++;
      if (rowKeys.has(key)) breach('DROPPED_ROW_REMAINS', `student:section ${key} was answered 200 to its drop but the row is still there`);
    } else if (d.status !== 0 && d.status < 500) {
      breach('DROP_REFUSED', `student:section ${key}: the drop of a row read from the database was refused ${d.status}${d.code ? ` ${d.code}` : ''}`);
    }
  }

  const since = await rows<{ student_id: number; section_id: number; action: string }>(
    db,
    `select student_id, section_id, action from enrollment_event where id > ? and outcome = 'OK' and action in ('DROP', 'WAITLIST_PROMOTE') order by id`,
    [before.eventId],
  );
  const joined = new Set(input.joins.filter((j) => j.status === 200 || j.status === 201).map((j) => `${j.studentId}:${j.sectionId}`));
  let dropEvents = 0;
  let promoted = 0;
  const promotedStudents = new Set<number>();
  for (const e of since) {
    if (e.action === 'DROP') {
      dropEvents++;
      continue;
    }
    promoted++;
    promotedStudents.add(Number(e.student_id));
    const key = `${e.student_id}:${e.section_id}`;
    if (!rowKeys.has(key)) breach('PROMOTED_WITHOUT_ROW', `student:section ${key} has a WAITLIST_PROMOTE event but no enrollment row`);
    if (!joined.has(key)) breach('PROMOTED_WITHOUT_JOIN', `student ${e.student_id} was promoted into section ${e.section_id} but never joined its waitlist`);
  }
  if (dropEvents !== dropsAnswered200) breach('EVENT_LOG_MISMATCH', `DROP: the clients saw ${dropsAnswered200} drops answered 200, the event log has ${dropEvents} DROP OK events`);
  const expected = before.rows - dropsAnswered200 + promoted;
  if (enrolled.length !== expected) {
    breach('ROW_COUNT_MISMATCH', `${enrolled.length} enrollment rows after the drops; ${before.rows} before - ${dropsAnswered200} dropped + ${promoted} promoted = ${expected}`);
  }

  const wl = await rows<{ kind: string; code: string | null; n: number }>(
    db,
    'select kind, code, count(*) as n from waitlist_event where id > ? group by kind, code',
    [before.waitlistEventId],
  );
  const skipsByCode: Record<string, number> = {};
  let skips = 0;
  let promoteWaitlistEvents = 0;
  for (const r of wl) {
    if (r.kind === 'SKIP') {
      skips += Number(r.n);
      skipsByCode[r.code ?? '?'] = (skipsByCode[r.code ?? '?'] ?? 0) + Number(r.n);
    }
    if (r.kind === 'PROMOTE') promoteWaitlistEvents += Number(r.n);
  }
  const [distinctSkips] = await rows<{ n: number }>(
    db,
    "select count(*) as n from (select distinct student_id, section_id from waitlist_event where id > ? and kind = 'SKIP') x",
    [before.waitlistEventId],
  );
  if (promoteWaitlistEvents !== promoted) breach('EVENT_LOG_MISMATCH', `WAITLIST_PROMOTE: ${promoted} enrollment events but ${promoteWaitlistEvents} waitlist PROMOTE events`);
  const [left] = await rows<{ n: number }>(db, 'select count(*) as n from waitlist_entry where term_id = ?', [termId]);

  return {
    service,
    breaches,
    counts,
    promoted,
    promotedStudents: promotedStudents.size,
    skips,
    skipsByCode,
    skippedEntries: Number(distinctSkips?.n ?? 0),
    entriesLeft: Number(left?.n ?? 0),
    checked: { enrollments: enrolled.length, dropsAnswered200, dropEvents, promoteEvents: promoted },
  };
}
