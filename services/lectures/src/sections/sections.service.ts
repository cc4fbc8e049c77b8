import { AppError, conflict, notFound, validationFailed, withTransaction, type FieldError, type Knex } from '@goorm/common';
import { onUniqueViolation } from '../support/db-errors.ts';
import { inUse, missingReference } from '../support/refusals.ts';
import * as repo from './sections.repository.ts';
import { parseSectionsCsv, sectionsToCsv } from './sections.csv.ts';
import { gradesToMask, idField, sectionBody, type Section, type SectionImportPreview, type SectionImportResult, type SectionImportSummary, type SectionInput, type SectionPage, type SectionQuery } from '@goorm/contracts';

/** `sectionId`: the existing section, when known (a unique-key violation after the check does not name it). */
const duplicateSection = (input: SectionInput, sectionId?: number) =>
  conflict('DUPLICATE', `section ${input.sectionNo} of lecture ${input.lectureId} already exists in term ${input.termId}`, {
    errors: [{ field: 'body.sectionNo', message: 'already exists for this lecture and term' }],
    ...(sectionId === undefined ? {} : { conflict: { sectionId } }),
  });

/** Fields pointing at rows that do not exist, named as in the request (`body.termId`, `row 3.termId`). */
function missingReferences(input: SectionInput, found: repo.ExistingReferences, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!found.term.has(input.termId)) errors.push(missingReference(`${prefix}.termId`, 'term', input.termId));
  if (!found.lecture.has(input.lectureId)) errors.push(missingReference(`${prefix}.lectureId`, 'lecture', input.lectureId));
  if (!found.professor.has(input.professorId)) errors.push(missingReference(`${prefix}.professorId`, 'professor', input.professorId));
  input.allowedMajorIds.forEach((m, i) => {
    if (!found.major.has(m)) errors.push(missingReference(`${prefix}.allowedMajorIds.${i}`, 'major', m));
  });
  input.reserved.forEach((r, i) => {
    if (r.majorId !== null && !found.major.has(r.majorId)) errors.push(missingReference(`${prefix}.reserved.${i}.majorId`, 'major', r.majorId));
  });
  return errors;
}

function referenceIds(inputs: SectionInput[]): repo.ReferenceIds {
  return {
    term: inputs.map((i) => i.termId),
    lecture: inputs.map((i) => i.lectureId),
    professor: inputs.map((i) => i.professorId),
    major: inputs.flatMap((i) => [...i.allowedMajorIds, ...i.reserved.flatMap((r) => (r.majorId === null ? [] : [r.majorId]))]),
  };
}

/**
 * Turns a refusal of one imported row into field errors named `row N.<field>`: every refusal of
 * the write path names its fields in `errors` (as `body.<field>`), except a missing section.
 */
function rowErrors(err: AppError, row: string): FieldError[] {
  const named = err.extra.errors as FieldError[] | undefined;
  if (named?.length) {
    const detail = err.code === 'VALIDATION_FAILED' ? undefined : err.detail;
    return named.map((e) => ({ field: e.field.replace(/^body\b/, row), message: detail ?? e.message }));
  }
  return [{ field: err.code === 'NOT_FOUND' ? `${row}.id` : row, message: err.detail ?? err.title }];
}

type ReservationPlan = { plan: { id?: number | undefined; r: SectionInput['reserved'][number] }[]; removeIds: number[] };

/**
 * Which existing reservations the body changes, keeps or removes. Enrollment counts reserved seats
 * against reservation ids, so an update keeps ids: by the given `id`, else by the same major and
 * grades. A reservation whose seats are in use cannot be removed or shrunk below its use.
 */
async function planReservations(trx: Knex, sectionId: number | undefined, reserved: SectionInput['reserved']): Promise<ReservationPlan> {
  // A new section gets new reservations (ids of a copied section's reservations are ignored).
  if (sectionId === undefined) return { plan: reserved.map((r) => ({ r })), removeIds: [] };
  const existing = await repo.findReservationKeys(trx, sectionId);
  const kept = new Set<number>();
  const plan: ReservationPlan['plan'] = reserved.map((r) => ({ id: undefined, r }));
  const errors: FieldError[] = [];
  reserved.forEach((r, i) => {
    if (r.id === undefined) return;
    if (!existing.some((e) => e.id === r.id) || kept.has(r.id)) {
      errors.push({ field: `body.reserved.${i}.id`, message: `reservation ${r.id} is not one of this section's` });
    } else {
      kept.add(r.id);
      plan[i]!.id = r.id;
    }
  });
  if (errors.length > 0) throw validationFailed(errors);
  reserved.forEach((r, i) => {
    if (r.id !== undefined) return;
    const same = existing.find((e) => !kept.has(e.id) && e.majorId === r.majorId && e.gradeMask === gradesToMask(r.grades));
    if (same) {
      kept.add(same.id);
      plan[i]!.id = same.id;
    }
  });
  const removeIds = existing.filter((e) => !kept.has(e.id)).map((e) => e.id);
  const used = await repo.reservationSeatsUsed(trx, existing.map((e) => e.id));
  const removedInUse = removeIds.filter((id) => (used.get(id) ?? 0) > 0);
  if (removedInUse.length > 0) {
    throw new AppError('IN_USE', {
      detail: `reservation(s) ${removedInUse.join(', ')} already seat students and cannot be removed`,
      extra: { usedBy: { enrollment: removedInUse.reduce((n, id) => n + (used.get(id) ?? 0), 0) }, errors: [{ field: 'body.reserved', message: 'keeps every reservation in use' }] },
    });
  }
  plan.forEach((p, i) => {
    const inUse = p.id === undefined ? 0 : (used.get(p.id) ?? 0);
    if (p.r.seats < inUse) errors.push({ field: `body.reserved.${i}.seats`, message: `must be at least ${inUse}, the seats already taken` });
  });
  if (errors.length > 0) {
    throw new AppError('CAPACITY_BELOW_ENROLLED', { detail: 'reserved seats below the seats already taken', extra: { errors } });
  }
  return { plan, removeIds };
}

/** Thrown to roll the preview's transaction back (never leaves previewCsv). */
class RollBack extends Error {}

interface ImportRun {
  rows: { line: number; action: 'create' | 'update'; id: number | null; section: SectionImportSummary | null }[];
  errors: FieldError[];
  created: number;
  updated: number;
}

const MAX_REPORTED_ERRORS = 100;

/** A section with students enrolled stays in its lecture and term. */
const movedWithStudents = (state: repo.SectionState, input: SectionInput) =>
  state.hasEnrollments && (state.termId !== input.termId || state.lectureId !== input.lectureId);

function cannotMove(state: repo.SectionState, input: SectionInput): AppError {
  const field = state.lectureId !== input.lectureId ? 'body.lectureId' : 'body.termId';
  const err = inUse('section', state.id, { enrollment: state.enrolled });
  return new AppError('IN_USE', { detail: `${err.detail}: it cannot move to another lecture or term`, extra: { ...err.extra, errors: [{ field, message: 'students are enrolled' }] } });
}

export function createSectionsService(db: Knex, clock: () => Date) {
  /**
   * The one write path of a section (API and CSV import): references exist, the section number is
   * free, neither the professor nor the room is busy at those times, and the capacity still holds
   * every enrolled student. Runs inside the caller's transaction; writes nothing when it refuses.
   */
  async function writeSection(trx: Knex, input: SectionInput, id: number | undefined, known?: repo.ExistingReferences): Promise<number> {
    if (id !== undefined) await repo.lockSeats(trx, id); // an enroll in flight commits before we read
    const existing = id === undefined ? undefined : await repo.findSectionState(trx, id);
    if (id !== undefined && !existing) throw notFound('section', id);
    const found = known ?? (await repo.existingReferences(trx, referenceIds([input])));
    const missing = missingReferences(input, found, 'body');
    if (missing.length > 0) throw validationFailed(missing);
    if (existing && movedWithStudents(existing, input)) throw cannotMove(existing, input);

    await repo.lockTerm(trx, input.termId);
    const duplicateId = await repo.findDuplicateSection(trx, { ...input, excludeId: id });
    if (duplicateId !== undefined) throw duplicateSection(input, duplicateId);
    const clash = await repo.findScheduleConflict(trx, { ...input, excludeId: id });
    if (clash) {
      const who = clash.reason === 'PROFESSOR' ? `professor ${input.professorId}` : `room ${input.room}`;
      throw conflict(
        'SCHEDULE_CONFLICT',
        `${who} is already in ${clash.lectureCode}-${clash.sectionNo} on ${clash.day} ${clash.startPeriod}-${clash.endPeriod}`,
        { conflict: clash, errors: [{ field: 'body.meetings', message: 'clashes with another section' }] },
      );
    }
    const reservations = await planReservations(trx, id, input.reserved);

    const now = clock();
    if (id === undefined) {
      const newId = await onUniqueViolation(() => repo.insertSection(trx, input, now), () => duplicateSection(input));
      await repo.replaceMeetingsAndMajors(trx, newId, input, false);
      await repo.saveReservations(trx, newId, reservations.plan, []);
      return newId;
    }
    const changed = await onUniqueViolation(() => repo.updateSectionIfCapacityHolds(trx, id, input, now), () => duplicateSection(input));
    if (changed === 0) {
      const after = await repo.findSectionState(trx, id);
      // Someone enrolled after the checks above: the move is refused as it would have been then.
      if (after && movedWithStudents(after, input)) throw cannotMove(after, input);
      const enrolled = after?.enrolled ?? 0;
      throw conflict('CAPACITY_BELOW_ENROLLED', `capacity ${input.capacity} is below the ${enrolled} students already enrolled`, {
        enrolled,
        errors: [{ field: 'body.capacity', message: `must be at least ${enrolled}` }],
      });
    }
    await repo.replaceMeetingsAndMajors(trx, id, input, true);
    await repo.saveReservations(trx, id, reservations.plan, reservations.removeIds);
    return id;
  }

  /**
   * Every step of an import inside the caller's transaction: parse, validate each row, check
   * references, write each valid row. Collects every problem of every row instead of stopping at
   * the first; the caller commits (no errors) or rolls back.
   */
  async function runImport(trx: Knex, text: string): Promise<ImportRun> {
    const parsed = parseSectionsCsv(text);
    const errors: FieldError[] = [...parsed.errors];
    const rows: { row: string; id: number | undefined; input: SectionInput }[] = [];
    const seen: ImportRun['rows'] = [];
    for (const r of parsed.rows) {
      const row = `row ${r.line}`;
      const idCell = idField.optional().safeParse(r.id);
      const line: ImportRun['rows'][number] = { line: r.line, action: r.id === undefined ? 'create' : 'update', id: idCell.success ? (idCell.data ?? null) : null, section: null };
      seen.push(line);
      if (r.errors.length > 0) {
        errors.push(...r.errors);
        continue;
      }
      const body = sectionBody.safeParse(r.candidate);
      if (!idCell.success) errors.push({ field: `${row}.id`, message: 'must be empty (new section) or the id of a section' });
      if (!body.success) {
        errors.push(...body.error.issues.map((i) => ({ field: [row, ...i.path.map(String)].join('.'), message: i.message })));
      } else {
        line.section = body.data;
      }
      if (body.success && idCell.success) rows.push({ row, id: idCell.data, input: body.data });
    }
    if (parsed.rows.length === 0 && errors.length === 0) errors.push({ field: 'row 2', message: 'the file has no sections' });

    const found = await repo.existingReferences(trx, referenceIds(rows.map((r) => r.input)));
    const sectionIds = await repo.existingSectionIds(trx, rows.flatMap((r) => (r.id === undefined ? [] : [r.id])));
    let created = 0;
    let updated = 0;
    for (const { row, id, input } of rows) {
      const missing = missingReferences(input, found, row);
      if (id !== undefined && !sectionIds.has(id)) missing.push({ field: `${row}.id`, message: `section ${id} does not exist` });
      if (missing.length > 0) {
        errors.push(...missing);
        continue;
      }
      try {
        await writeSection(trx, input, id, found);
        if (id === undefined) created++;
        else updated++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        errors.push(...rowErrors(err, row));
      }
    }
    return { rows: seen, errors, created, updated };
  }

  const service = {
    async search(q: SectionQuery): Promise<SectionPage> {
      const { page, size, sort, order, ...filters } = q;
      return repo.searchSections(db, { ...filters, termId: filters.termId ?? 'current' }, { sort, order }, { page, size });
    },

    async get(id: number): Promise<Section> {
      const s = await repo.findSection(db, id);
      if (!s) throw notFound('section', id);
      return s;
    },

    async create(input: SectionInput): Promise<Section> {
      const id = await withTransaction(db, (trx) => writeSection(trx, input, undefined));
      return service.get(id);
    },

    async update(id: number, input: SectionInput): Promise<Section> {
      await withTransaction(db, (trx) => writeSection(trx, input, id));
      return service.get(id);
    },

    async remove(id: number): Promise<void> {
      await withTransaction(db, async (trx) => {
        if ((await repo.deleteSectionIfUnused(trx, id)) > 0) return;
        const state = await repo.findSectionState(trx, id);
        if (!state) throw notFound('section', id);
        throw inUse('section', id, { enrollment: state.enrolled });
      });
    },

    async exportCsv(termId: number | undefined): Promise<string> {
      return sectionsToCsv(await repo.listSections(db, { termId: termId ?? 'current' }, { sort: 'code' }));
    },

    /**
     * All or nothing: every row is checked (format, then references for all rows at once, then the
     * same rules as the API, in file order, in one transaction); any refusal rolls everything back
     * and answers 400 with `errors[].field` like `row 3.capacity` (row = line in the file).
     */
    /** All or nothing: 400 VALIDATION_FAILED naming `row N.<field>` (the first MAX_REPORTED_ERRORS) writes nothing. */
    async importCsv(text: string): Promise<SectionImportResult> {
      return withTransaction(db, async (trx) => {
        const run = await runImport(trx, text);
        if (run.errors.length > 0) {
          const shown = run.errors.slice(0, MAX_REPORTED_ERRORS);
          const more = run.errors.length - shown.length;
          throw validationFailed(shown, `${run.errors.length} problem(s) in the file, nothing was imported${more > 0 ? ` (first ${shown.length} listed)` : ''}`);
        }
        return { created: run.created, updated: run.updated };
      });
    },

    /**
     * The preview of an import: the same steps in a transaction that is always rolled back, so
     * rows are judged exactly as the import would judge them (including clashes between rows of the
     * file) and nothing stays written. Every row with its action, section and all its errors.
     */
    async previewCsv(text: string): Promise<SectionImportPreview> {
      let run: ImportRun | undefined;
      try {
        await withTransaction(db, async (trx) => {
          run = await runImport(trx, text);
          throw new RollBack();
        });
      } catch (err) {
        if (!(err instanceof RollBack)) throw err;
      }
      const r = run!;
      const byRow = new Map<number, FieldError[]>(r.rows.map((row) => [row.line, []]));
      const fileErrors: FieldError[] = [];
      for (const e of r.errors) {
        const m = /^row (\d+)(?:\.|$)/.exec(e.field);
        const list = m ? byRow.get(Number(m[1])) : undefined;
        if (list) list.push(e);
        else fileErrors.push(e);
      }
      const rows = r.rows.map((row) => ({ ...row, errors: byRow.get(row.line)! }));
      return {
        dryRun: true,
        valid: r.errors.length === 0,
        created: rows.filter((x) => x.action === 'create').length,
        updated: rows.filter((x) => x.action === 'update').length,
        rows: rows.map(({ line, action, id, section, errors }) => ({ row: line, action, id, section, errors })),
        errors: fileErrors,
      };
    },
  };
  return service;
}
export type SectionsService = ReturnType<typeof createSectionsService>;
