import { AppError, isRetryableDbError, notFound, withRetries, withTransaction, type AuthUser, type Knex, type Logger } from '@goorm/common';
import {
  ENROLL_PHASES,
  type MyWaitlists,
  type NoticeList,
  type SectionWaitlist,
  type WaitlistEntry,
  type WaitlistOverview,
  type WaitlistSettings,
  type WaitlistSettingsBody,
} from '@goorm/contracts';
import { writeAudit } from '../audit/audit.repository.ts';
import type { CatalogCache, CatalogSnapshot } from '../catalog/catalog.service.ts';
import type { CatalogSection } from '../catalog/catalog.repository.ts';
import { BatchedTransaction, canBatch } from '../enrollments/enrollments.batched.ts';
import type { EnrollmentMetrics } from '../enrollments/enrollments.metrics.ts';
import { findMeetings, lockStudent, lockStudentSql, toLockedStudent, type LockedStudent, type LockRow } from '../enrollments/enrollments.repository.ts';
import { addRefusal, creditLimit, creditsOf, eligibilityRefusal, matchesReservation, sectionNotFound, stillBusy, unreleased, windowClosed } from '../enrollments/enrollments.rules.ts';
import { heldInTerm } from '../enrollments/enrollments.seats.ts';
import { promoteWaiting, SKIP_RETRY_MS } from './waitlist.promote.ts';
import {
  deferRetry,
  deleteEntry,
  entriesOfSection,
  entriesOfStudent,
  entriesOfStudentSql,
  entrySections,
  findEntry,
  insertEntry,
  insertEntrySql,
  insertNotices,
  insertWaitlistEvents,
  listNotices,
  lockSeatRow,
  markNoticesRead,
  overview,
  positionsOf,
  readSettings,
  reservationUse,
  reservationUseSql,
  sectionHead,
  sectionsToFill,
  seatsFromRows,
  seatsOf,
  seatsOfSql,
  setRank,
  staffEntries,
  toEntry,
  useFromRows,
  writeSettings,
  type EntryRow,
  type EntrySql,
} from './waitlist.repository.ts';

/**
 * Waitlists (README "Waitlists"): a student joins a full section's list and leaves it; staff see,
 * reorder and prune a list; the sweeper gives seats freed outside a drop or swap (capacity raised,
 * reservation released, a skipped student now eligible) to the list within a second.
 */

export interface WaitlistDeps {
  db: Knex;
  catalog: CatalogCache;
  clock: () => Date;
  logger: Logger;
  metrics: EnrollmentMetrics;
  txRetries: number;
  /** How long the join reads the settings from memory (ms; this process's own changes apply at once). Default 1000. */
  settingsTtlMs?: number;
}

const waitlistLimit = (limit: number) =>
  new AppError('WAITLIST_LIMIT', { detail: `You are already on ${limit} waitlists, the most allowed in a term`, extra: { limit } });
const seatsAvailable = () => new AppError('SEATS_AVAILABLE', { detail: 'The section has a free seat: register for it instead' });
const entryNotFound = (sectionId: number, studentId?: number) =>
  notFound(studentId === undefined ? 'Waitlist entry for section' : `Waitlist entry of student ${studentId} for section`, sectionId);

/** Moves the entry `id` to `position` (1-based) in `list`; the ranks the list already holds are handed out again in the new order. */
export function reorder(list: readonly EntryRow[], id: number, position: number): { id: number; rank: number }[] {
  const from = list.findIndex((e) => e.id === id);
  if (from < 0) return [];
  const order = list.filter((e) => e.id !== id);
  order.splice(Math.min(position - 1, order.length), 0, list[from]!);
  const ranks = list.map((e) => e.rank).sort((a, b) => a - b);
  return order.flatMap((e, i) => (e.rank === ranks[i] ? [] : [{ id: e.id, rank: ranks[i]! }]));
}

/** What a join decides from: the student (locked), their entries of the term, the section's seats and reservation counters. */
interface JoinFacts {
  student: LockedStudent | undefined;
  mine: EntryRow[];
  seats: { capacity: number; enrolled: number } | undefined;
  used: Map<number, number>;
}
type Joined = { created: false; id: number } | { created: true; id: number };
const NO_USE: Map<number, number> = new Map();

export function createWaitlistService(deps: WaitlistDeps) {
  const { db, catalog, clock, metrics } = deps;
  // MySQL with multipleStatements: the join as SQL text in two round trips (as the enroll).
  const sqlText = canBatch(db);
  /** Runs a transaction (knex's or the SQL-text one) with the service's bounded retries; still conflicting after them, 429 with Retry-After (as registration), never a 500. */
  const retried = async <T>(attempt: () => Promise<T>): Promise<T> => {
    try {
      return await withRetries(attempt, { retries: deps.txRetries });
    } catch (err) {
      if (!isRetryableDbError(err)) throw err;
      deps.logger.warn({ err }, 'waitlist transaction still conflicting after retries');
      throw stillBusy();
    }
  };
  const tx = <T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> => retried(() => withTransaction(db, fn, { retries: 0 }));

  // The join reads the settings on every request of an opening: kept in memory for a second
  // (another replica's change applies within it; this process's own at once).
  const settingsTtlMs = deps.settingsTtlMs ?? 1_000;
  let cachedSettings: { at: number; value: Promise<WaitlistSettings> } | undefined;
  const currentSettings = (): Promise<WaitlistSettings> => {
    const at = performance.now();
    if (!cachedSettings || at - cachedSettings.at >= settingsTtlMs) {
      const value = readSettings(db);
      cachedSettings = { at, value };
      value.catch(() => {
        if (cachedSettings?.value === value) cachedSettings = undefined;
      });
    }
    return cachedSettings.value;
  };

  async function entryView(entryId: number): Promise<WaitlistEntry> {
    const [entry] = await db('waitlist_entry').where('id', entryId).select<{ section_id: number }[]>('section_id');
    if (!entry) throw notFound('Waitlist entry', entryId);
    const [row] = await entriesOfSection(db, Number(entry.section_id), { onlyId: entryId });
    const pos = (await positionsOf(db, [entryId])).get(entryId);
    if (!row || !pos) throw notFound('Waitlist entry', entryId);
    return {
      sectionId: row.sectionId,
      lectureId: row.lectureId,
      studentId: row.studentId,
      position: pos.position,
      waiting: pos.waiting,
      joinedAt: row.joinedAt,
      lastSkip: row.skipCode && row.skippedAt ? { code: row.skipCode, at: row.skippedAt } : null,
    };
  }

  /**
   * The join's rules, in order, on what the transaction read: the entry already there (a rejoin),
   * or undefined when the student may join. Throws the refusal.
   */
  function decideJoin(f: JoinFacts, userId: number, section: CatalogSection, snapshot: CatalogSnapshot, settings: WaitlistSettings, now: Date): number | undefined {
    const student = f.student;
    if (!student) throw notFound('Student', userId);
    if (!snapshot.openWindow(ENROLL_PHASES, now, student.grade)) throw windowClosed();
    const existing = f.mine.find((e) => e.sectionId === section.id);
    if (existing) return existing.id;
    const held = heldInTerm(student.held, snapshot);
    const rule = eligibilityRefusal(section, student) ?? addRefusal(section, student, student.held, held, (id) => snapshot.section(id));
    if (rule) throw rule;
    if (f.mine.length >= settings.maxEntriesPerStudent) throw waitlistLimit(settings.maxEntriesPerStudent);
    if (settings.countWaitlistedCredits) {
      // One waitlisted section per lecture counts (promotion to one removes the others).
      const lectures = new Map(f.mine.map((e) => [e.lectureId, snapshot.section(e.sectionId)]));
      const waiting = [...lectures.values()].filter((s): s is NonNullable<typeof s> => s !== undefined && s.lectureId !== section.lectureId);
      const current = creditsOf(held) + creditsOf(waiting);
      if (current + section.lecture.credits > student.maxCredits) throw creditLimit(current, section.lecture.credits, student.maxCredits);
    }
    // The seats are read, not locked: a full section's seat row is the hottest row of an opening,
    // and every enroll of it would queue behind the joins. A drop committing between this read
    // and the commit does not see the new entry; the sweeper gives that seat within a second.
    const capacity = f.seats?.capacity ?? section.capacity;
    const enrolled = f.seats?.enrolled ?? 0;
    if (enrolled < capacity) {
      const pending = unreleased(section, now.getTime());
      const heldBack = pending.reduce((n, r) => n + Math.max(0, r.seats - (f.used.get(r.id) ?? 0)), 0);
      const reservedForMe = pending.some((r) => matchesReservation(r, student) && (f.used.get(r.id) ?? 0) < r.seats);
      if (reservedForMe || enrolled + heldBack < capacity) throw seatsAvailable();
    }
    return undefined;
  }

  /** A join through knex (SQLite, or a MySQL pool without multipleStatements): one statement per round trip. */
  function joinKnex(userId: number, section: CatalogSection, snapshot: CatalogSnapshot, settings: WaitlistSettings, now: Date): Promise<Joined> {
    return tx(async (trx) => {
      const student = await lockStudent(trx, userId);
      const mine = student ? await entriesOfStudent(trx, student.id, section.termId) : [];
      const seats = await seatsOf(trx, section.id);
      // The reservation counters only matter while a seat is open.
      const open = (seats?.enrolled ?? 0) < (seats?.capacity ?? section.capacity);
      const used = open && unreleased(section, now.getTime()).length ? await reservationUse(trx, section.id) : NO_USE;
      const existing = decideJoin({ student, mine, seats, used }, userId, section, snapshot, settings, now);
      if (existing !== undefined) return { created: false, id: existing };
      const id = await insertEntry(trx, { sectionId: section.id, studentId: userId, lectureId: section.lectureId, termId: section.termId, joinedAt: now });
      await insertWaitlistEvents(trx, [{ sectionId: section.id, studentId: userId, kind: 'JOIN', at: now }]);
      return { created: true, id };
    });
  }

  /**
   * A join on MySQL in two round trips (the enroll's BatchedTransaction; docs/decisions/0011):
   * BEGIN with the student's locking read, their entries, the seats and the reservation counters;
   * then the entry, its rank and its JOIN event with the COMMIT. The same reads, rules and writes as `joinKnex`.
   */
  function joinSqlText(userId: number, section: CatalogSection, snapshot: CatalogSnapshot, settings: WaitlistSettings, now: Date): Promise<Joined> {
    return retried(() =>
      BatchedTransaction.run(db, async (btx): Promise<Joined> => {
        const [lockRows, entryRows, seatRows, useRows] = (await btx.beginWith(
          lockStudentSql(userId),
          entriesOfStudentSql(userId, section.termId),
          seatsOfSql(section.id),
          reservationUseSql(section.id),
        )) as [LockRow[], EntrySql[], Array<{ capacity: number; enrolled: number | null }>, Array<{ reservation_id: number; used: number }>];
        const facts: JoinFacts = { student: toLockedStudent(lockRows), mine: entryRows.map(toEntry), seats: seatsFromRows(seatRows), used: useFromRows(useRows) };
        const existing = decideJoin(facts, userId, section, snapshot, settings, now);
        if (existing !== undefined) return { created: false, id: existing }; // rolled back by run()
        const entry = { sectionId: section.id, studentId: userId, lectureId: section.lectureId, termId: section.termId, joinedAt: now };
        const [inserted] = (await btx.commitWith(...insertEntrySql(entry, { sectionId: section.id, studentId: userId, kind: 'JOIN', at: now }))) as [{ insertId: number }];
        return { created: true, id: Number(inserted.insertId) };
      }),
    );
  }

  /** POST /waitlist: 201 joined, 200 already there. */
  async function join(user: AuthUser, sectionId: number): Promise<{ status: 200 | 201; body: WaitlistEntry }> {
    const settings = await currentSettings();
    if (!settings.enabled) throw new AppError('WAITLIST_DISABLED', { detail: 'Waitlists are turned off for now' });
    const now = clock();
    const { snapshot, section } = await catalog.withSection(sectionId);
    if (!section) throw sectionNotFound(sectionId);
    if (!snapshot.openWindow(ENROLL_PHASES, now)) throw windowClosed();
    const joined = sqlText ? await joinSqlText(user.id, section, snapshot, settings, now) : await joinKnex(user.id, section, snapshot, settings, now);
    if (!joined.created) return { status: 200, body: await entryView(joined.id) };
    // The new entry's place, read after the commit as every answer's is; the rest is what the join wrote.
    const pos = (await positionsOf(db, [joined.id])).get(joined.id);
    if (!pos) throw notFound('Waitlist entry', joined.id);
    return {
      status: 201,
      body: { sectionId: section.id, lectureId: section.lectureId, studentId: user.id, position: pos.position, waiting: pos.waiting, joinedAt: now.toISOString(), lastSkip: null },
    };
  }

  /** DELETE /waitlist/:sectionId. */
  async function leave(user: AuthUser, sectionId: number): Promise<void> {
    const now = clock();
    await tx(async (trx) => {
      await lockStudent(trx, user.id); // a promotion of this student holds it
      const entry = await findEntry(trx, user.id, sectionId);
      if (!entry || !(await deleteEntry(trx, entry.id))) throw entryNotFound(sectionId);
      await insertWaitlistEvents(trx, [{ sectionId, studentId: user.id, kind: 'LEAVE', at: now }]);
    });
  }

  /** GET /waitlist/me: a fixed number of queries whatever the number of entries. */
  async function mine(studentId: number): Promise<MyWaitlists> {
    const [snapshot, settings] = await Promise.all([catalog.get(), readSettings(db)]);
    const entries = snapshot.termId === undefined ? [] : await entriesOfStudent(db, studentId, snapshot.termId);
    const ids = entries.map((e) => e.id);
    const [positions, sections, meetings] = await Promise.all([
      positionsOf(db, ids),
      entrySections(db, ids),
      findMeetings(
        db,
        entries.map((e) => e.sectionId),
      ),
    ]);
    return {
      items: entries.flatMap((e) => {
        const pos = positions.get(e.id);
        const section = sections.get(e.id);
        if (!pos || !section) return [];
        return [
          {
            sectionId: e.sectionId,
            lectureId: e.lectureId,
            studentId,
            position: pos.position,
            waiting: pos.waiting,
            joinedAt: e.joinedAt,
            lastSkip: e.skipCode && e.skippedAt ? { code: e.skipCode, at: e.skippedAt } : null,
            section: { ...section, meetings: meetings.get(e.sectionId) ?? [] },
          },
        ];
      }),
      settings: { enabled: settings.enabled, maxEntriesPerStudent: settings.maxEntriesPerStudent, countWaitlistedCredits: settings.countWaitlistedCredits },
    };
  }

  async function sectionList(sectionId: number): Promise<SectionWaitlist> {
    const head = await sectionHead(db, sectionId);
    if (!head) throw notFound('Section', sectionId);
    const items = await staffEntries(db, sectionId);
    return {
      section: head,
      items: items.map((e, i) => ({
        position: i + 1,
        studentId: e.studentId,
        studentNo: e.studentNo,
        name: e.name,
        grade: e.grade,
        majorId: e.majorId,
        joinedAt: e.joinedAt,
        lastSkip: e.skipCode && e.skippedAt ? { code: e.skipCode, at: e.skippedAt } : null,
      })),
    };
  }

  /** PUT /sections/:id/waitlist/:studentId (staff): audited with the positions before and after. */
  async function move(staff: AuthUser, sectionId: number, studentId: number, position: number, reason: string): Promise<SectionWaitlist> {
    const now = clock();
    await tx(async (trx) => {
      await lockSeatRow(trx, sectionId); // one writer of this list's order at a time
      const list = await entriesOfSection(trx, sectionId, { lock: true });
      const from = list.findIndex((e) => e.studentId === studentId);
      if (from < 0) throw entryNotFound(sectionId, studentId);
      const to = Math.min(position, list.length);
      for (const c of reorder(list, list[from]!.id, to)) await setRank(trx, c.id, c.rank);
      await insertWaitlistEvents(trx, [{ sectionId, studentId, kind: 'MOVE', actorStaffId: staff.id, at: now }]);
      await writeAudit(trx, { staffId: staff.id, action: 'WAITLIST_MOVE', target: `student:${studentId}/section:${sectionId}`, reason, details: { from: from + 1, to } }, now);
    });
    return sectionList(sectionId);
  }

  /** DELETE /sections/:id/waitlist/:studentId (staff): audited; the student is told. */
  async function remove(staff: AuthUser, sectionId: number, studentId: number, reason: string): Promise<void> {
    const now = clock();
    await tx(async (trx) => {
      await lockStudent(trx, studentId);
      const entry = await findEntry(trx, studentId, sectionId);
      if (!entry || !(await deleteEntry(trx, entry.id))) throw entryNotFound(sectionId, studentId);
      await insertWaitlistEvents(trx, [{ sectionId, studentId, kind: 'REMOVE', actorStaffId: staff.id, at: now }]);
      await insertNotices(trx, [{ studentId, kind: 'WAITLIST_REMOVED', sectionId, reason, at: now }]);
      await writeAudit(trx, { staffId: staff.id, action: 'WAITLIST_REMOVE', target: `student:${studentId}/section:${sectionId}`, reason, details: {} }, now);
    });
  }

  async function getSettings(): Promise<WaitlistSettings> {
    return readSettings(db);
  }

  async function updateSettings(staff: AuthUser, body: WaitlistSettingsBody): Promise<WaitlistSettings> {
    const now = clock();
    await tx(async (trx) => {
      const before = await readSettings(trx);
      const next = { enabled: body.enabled, maxEntriesPerStudent: body.maxEntriesPerStudent, countWaitlistedCredits: body.countWaitlistedCredits };
      await writeSettings(trx, next, now);
      await writeAudit(trx, { staffId: staff.id, action: 'WAITLIST_SETTINGS', target: 'waitlist', reason: body.reason ?? 'waitlist settings', details: { before, after: next } }, now);
    });
    cachedSettings = undefined;
    return readSettings(db);
  }

  async function getOverview(termId: number | undefined, top: number): Promise<WaitlistOverview> {
    const term = termId ?? (await catalog.get()).termId;
    if (term === undefined) throw notFound('Current term');
    const now = clock();
    return { termId: term, ...(await overview(db, term, top, new Date(now.getTime() - 3_600_000))) };
  }

  async function notices(studentId: number, q: { unread?: boolean | undefined; limit: number }): Promise<NoticeList> {
    return listNotices(db, studentId, { unread: q.unread ?? false, limit: q.limit });
  }

  async function readNotices(studentId: number, upToId: number): Promise<void> {
    await markNoticesRead(db, studentId, upToId, clock());
  }

  /**
   * One pass of the sweeper: every section of the term with a free seat and someone due a try
   * gets its seats filled from its list, one transaction per section (the seat row locked first).
   * Returns the students promoted.
   */
  async function sweep(limit = 100): Promise<number> {
    const snapshot = await catalog.get();
    if (snapshot.termId === undefined) return 0;
    const now = clock();
    let promoted = 0;
    for (const id of await sectionsToFill(db, snapshot.termId, now, limit)) {
      const section = snapshot.section(id);
      if (!section) continue;
      // No lock on the seat row first: the seat is taken by the conditional UPDATE, so a drop
      // promoting at the same time cannot give the same seat; the section's enrolls never queue
      // behind a sweep that is locking its candidates' rows.
      const p = await tx((trx) => promoteWaiting(trx, snapshot, section, now, 50));
      // Nobody got the seat (held for others by a reservation, or everyone skipped): the section's
      // entries are not due again until SKIP_RETRY_MS or a drop of their student.
      if (p.promoted.length === 0) await deferRetry(db, id, new Date(now.getTime() + SKIP_RETRY_MS));
      promoted += p.promoted.length;
      if (p.promoted.length) metrics.waitlistPromotions.inc({ via: 'sweeper' }, p.promoted.length);
      if (p.skipped.length) metrics.waitlistSkips.inc(p.skipped.length);
    }
    return promoted;
  }

  return { join, leave, mine, sectionList, move, remove, getSettings, updateSettings, getOverview, notices, readNotices, sweep };
}

export type WaitlistService = ReturnType<typeof createWaitlistService>;
