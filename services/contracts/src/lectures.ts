/**
 * The catalog (강의 목록): terms, majors, professors, lectures, sections with their meeting times,
 * the section search and the sections CSV, under /api/lectures. Reads need a signed-in caller,
 * writes need staff.
 */
import { z } from 'zod';
import { categorySchema, DAYS, gradesSchema, MAX_PERIOD, meetingInput, meetingSchema, meetingsOverlap, type Day } from './domain.ts';
import { fieldErrorSchema } from './errors.ts';
import { endpoint, idField, idParam, idParams, pageOf, pageQuery, serviceContract } from './endpoint.ts';
import { lectureSummarySchema, professorSummarySchema, sectionSchema } from './sections.ts';

// ---- terms --------------------------------------------------------------------------------------

export const termSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  /** Exactly one term is current: the term students register for. */
  isCurrent: z.boolean(),
});
export type Term = z.infer<typeof termSchema>;

export const termBody = z
  .object({
    /** 2026-1, 2026-2, 2026-S (여름계절), 2026-W (겨울계절) */
    code: z.string().trim().regex(/^\d{4}-(1|2|S|W)$/, 'expected a year and 1, 2, S or W, like 2026-1'),
    name: z.string().trim().min(1).max(64),
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
    /** Making a term current makes every other term not current (exactly one current term). */
    isCurrent: z.boolean().optional(),
  })
  .refine((t) => t.endsOn >= t.startsOn, { path: ['endsOn'], message: 'must not be before startsOn' });
export type TermInput = z.infer<typeof termBody>;

export const termListSchema = z.object({ items: z.array(termSchema) });
export type TermList = z.infer<typeof termListSchema>;

// ---- majors -------------------------------------------------------------------------------------

export const majorSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  college: z.string(),
  /** A general-education department (교양): its lectures are 교양. */
  isGeneralEducation: z.boolean(),
});
export type Major = z.infer<typeof majorSchema>;

export const majorBody = z.object({
  /** The prefix of its lecture codes: CSE for CSE2010. */
  code: z.string().trim().regex(/^[A-Z]{2,4}$/, 'expected 2 to 4 capital letters, like CSE'),
  name: z.string().trim().min(1).max(64),
  nameEn: z.string().trim().min(1).max(96),
  college: z.string().trim().min(1).max(64),
  isGeneralEducation: z.boolean().default(false),
});
export type MajorInput = z.infer<typeof majorBody>;

export const majorQuery = z.object({
  college: z.string().trim().min(1).max(64).optional(),
  generalEducation: z.stringbool().optional(),
});
export type MajorQuery = z.infer<typeof majorQuery>;

export const majorListSchema = z.object({ items: z.array(majorSchema) });
export type MajorList = z.infer<typeof majorListSchema>;

// ---- professors ---------------------------------------------------------------------------------

/** A professor: the summary a section shows, with the major and the email. */
export const professorSchema = professorSummarySchema.extend({
  majorId: z.number().int(),
  email: z.string().nullable(),
});
export type Professor = z.infer<typeof professorSchema>;

export const professorBody = z.object({
  name: z.string().trim().min(1).max(64),
  nameEn: z.string().trim().max(96).default(''),
  majorId: idField,
  email: z.email().max(128).nullable().default(null),
});
export type ProfessorInput = z.infer<typeof professorBody>;

export const professorQuery = z.object({
  /** Substring of the Korean or English name. */
  q: z.string().trim().max(64).optional(),
  majorId: idParam.optional(),
  ...pageQuery,
});
export type ProfessorQuery = z.infer<typeof professorQuery>;

export const professorPageSchema = pageOf(professorSchema);
export type ProfessorPage = z.infer<typeof professorPageSchema>;

// ---- lectures -----------------------------------------------------------------------------------

export const lectureCodeSchema = z.string().trim().regex(/^[A-Z]{2,4}\d{4}$/, 'expected 2 to 4 capital letters and 4 digits, like CSE2010');

/** A lecture (강의): the summary a section shows, with its description. */
export const lectureSchema = lectureSummarySchema.extend({ description: z.string().nullable() });
export type Lecture = z.infer<typeof lectureSchema>;

export const lectureBody = z.object({
  code: lectureCodeSchema,
  title: z.string().trim().min(1).max(128),
  titleEn: z.string().trim().max(160).default(''),
  credits: z.number().int().min(1).max(4),
  category: categorySchema,
  majorId: idField,
  description: z.string().trim().max(4000).nullable().default(null),
});
export type LectureInput = z.infer<typeof lectureBody>;

export const lectureQuery = z.object({
  /** Substring of the code, the Korean or the English title. */
  q: z.string().trim().max(64).optional(),
  majorId: idParam.optional(),
  category: categorySchema.optional(),
  credits: z.coerce.number().int().min(1).max(4).optional(),
  ...pageQuery,
});
export type LectureQuery = z.infer<typeof lectureQuery>;

export const lecturePageSchema = pageOf(lectureSchema);
export type LecturePage = z.infer<typeof lecturePageSchema>;

// ---- sections -----------------------------------------------------------------------------------

const unique = (xs: readonly unknown[]) => new Set(xs).size === xs.length;

export const reservationBody = z.object({
  /**
   * On update, the reservation to change (its id is what enrollment counts seats against). Without
   * an id, an existing reservation of the same major and grades is kept and changed; else a new one.
   * Ignored when creating a section.
   */
  id: idField.optional(),
  /** Seats held for students of this major; null: of any major. */
  majorId: idField.nullable().default(null),
  /** ... and of these grades. */
  grades: gradesSchema.default([1, 2, 3, 4]),
  seats: z.number().int().min(1).max(500),
  /** After this instant the unused reserved seats are open to everyone. */
  releaseAt: z.iso.datetime({ offset: true }),
});

export const sectionBody = z
  .object({
    termId: idField,
    lectureId: idField,
    sectionNo: z.number().int().min(1).max(999),
    professorId: idField,
    capacity: z.number().int().min(1).max(500),
    room: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .transform((r) => r.replace(/\s+/g, ' ')),
    /** Grades allowed to enroll; default every grade. */
    grades: gradesSchema.default([1, 2, 3, 4]),
    /** Majors allowed to enroll; empty: open to every major. */
    allowedMajorIds: z.array(idField).max(50).refine(unique, 'majors must not repeat').default([]),
    meetings: z.array(meetingInput).min(1).max(5),
    reserved: z.array(reservationBody).max(10).default([]),
  })
  .superRefine((s, ctx) => {
    s.meetings.forEach((m, j) => {
      const i = s.meetings.findIndex((other, k) => k < j && meetingsOverlap(other, m));
      if (i >= 0) {
        ctx.addIssue({ code: 'custom', path: ['meetings', j], message: `overlaps meetings.${i} of the same section` });
      }
    });
    const reservedSeats = s.reserved.reduce((n, r) => n + r.seats, 0);
    if (reservedSeats > s.capacity) {
      ctx.addIssue({ code: 'custom', path: ['reserved'], message: `reserves ${reservedSeats} seats, more than the capacity ${s.capacity}` });
    }
  });
export type SectionInput = z.infer<typeof sectionBody>;

export const SORT_KEYS = ['code', 'title', 'credits', 'capacity', 'seatsLeft'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Empty query parameters (`?q=&majorId=`) are dropped before this runs (the service's query parser). */
export const sectionQuery = z.object({
  /** Korean or English keyword(s); every word must match the title, English title, code or professor. */
  q: z.string().trim().max(100).optional(),
  /** Default: the current term. */
  termId: idParam.optional(),
  /** The lecture's owning major. */
  majorId: idParam.optional(),
  lectureId: idParam.optional(),
  professorId: idParam.optional(),
  /** true: lectures of general-education departments (교양) only; false: none of them. */
  generalEducation: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  category: categorySchema.optional(),
  credits: z.coerce.number().int().min(1).max(4).optional(),
  /** Sections with a meeting on this day (with `period`: that period on that day). */
  day: z
    .enum([...DAYS, ...DAYS.map((d) => d.toLowerCase())])
    .transform((d) => d.toUpperCase() as Day)
    .optional(),
  /** Sections with a meeting covering this period. */
  period: z.coerce.number().int().min(1).max(MAX_PERIOD).optional(),
  /** Sections open to this grade. */
  grade: z.coerce.number().int().min(1).max(4).optional(),
  /** Substring of the professor's Korean or English name. */
  professor: z.string().trim().max(64).optional(),
  sort: z.enum(SORT_KEYS).default('code'),
  /** Default asc for code, title, credits; desc for capacity and seatsLeft. Ties: code, then section number. */
  order: z.enum(['asc', 'desc']).optional(),
  ...pageQuery,
});
export type SectionQuery = z.infer<typeof sectionQuery>;

export const sectionPageSchema = pageOf(sectionSchema);
export type SectionPage = z.infer<typeof sectionPageSchema>;

export const sectionExportQuery = z.object({ termId: idParam.optional() });

export const sectionImportResultSchema = z.object({ created: z.number().int(), updated: z.number().int() });
export type SectionImportResult = z.infer<typeof sectionImportResultSchema>;

export const sectionImportQuery = z.object({
  /** true: write nothing, answer every row with what it would do and its errors (the preview). */
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});
export type SectionImportQuery = z.output<typeof sectionImportQuery>;

/** A row of the file as the section it would write (the validated body: rooms normalised, defaults filled). */
export const sectionImportSummarySchema = z.object({
  termId: z.number().int(),
  lectureId: z.number().int(),
  sectionNo: z.number().int(),
  professorId: z.number().int(),
  capacity: z.number().int(),
  room: z.string(),
  grades: z.array(z.number().int()),
  allowedMajorIds: z.array(z.number().int()),
  meetings: z.array(meetingSchema),
  reserved: z.array(
    z.object({ id: z.number().int().optional(), majorId: z.number().int().nullable(), grades: z.array(z.number().int()), seats: z.number().int(), releaseAt: z.string() }),
  ),
});
export type SectionImportSummary = z.infer<typeof sectionImportSummarySchema>;

export const sectionImportPreviewRowSchema = z.object({
  /** Line of the file the row ends on (the header is line 1), as in the errors' `row N`. */
  row: z.number().int(),
  /** create: the id cell is empty; update: it names the section to replace. */
  action: z.enum(['create', 'update']),
  /** The section to replace (update), when the id cell reads as one. */
  id: z.number().int().nullable(),
  /** The section the row would write; null when the row cannot be read as one. */
  section: sectionImportSummarySchema.nullable(),
  /** This row's problems (`row N.<field>`), every one of them; empty: the row is fine. */
  errors: z.array(fieldErrorSchema),
});
export type SectionImportPreviewRow = z.infer<typeof sectionImportPreviewRowSchema>;

export const sectionImportPreviewSchema = z.object({
  dryRun: z.literal(true),
  /** Whether committing this file (without dryRun) would import it: no row and no file-level error. */
  valid: z.boolean(),
  /** Rows that would create / replace a section. */
  created: z.number().int(),
  updated: z.number().int(),
  rows: z.array(sectionImportPreviewRowSchema),
  /** Problems of the file itself (not CSV, missing column, no rows). */
  errors: z.array(fieldErrorSchema),
});
export type SectionImportPreview = z.infer<typeof sectionImportPreviewSchema>;

// ---- endpoints ----------------------------------------------------------------------------------

const terms = ['terms'];
const majors = ['majors'];
const professors = ['professors'];
const lectures = ['lectures'];
const sections = ['sections'];

export const lecturesApi = serviceContract('/api/lectures', {
  listTerms: endpoint({
    method: 'get',
    path: '/terms',
    summary: 'All terms, newest first',
    tags: terms,
    access: 'authenticated',
    responses: { 200: { description: 'Terms', schema: termListSchema } },
  }),
  getTerm: endpoint({
    method: 'get',
    path: '/terms/:id',
    summary: 'One term',
    tags: terms,
    access: 'authenticated',
    params: idParams,
    responses: { 200: { description: 'Term', schema: termSchema } },
    errors: ['NOT_FOUND'],
  }),
  createTerm: endpoint({
    method: 'post',
    path: '/terms',
    summary: 'Create a term (the first term created becomes current; so does one created with isCurrent)',
    tags: terms,
    access: 'staff',
    body: termBody,
    responses: { 201: { description: 'Created', schema: termSchema } },
    errors: ['DUPLICATE'],
  }),
  updateTerm: endpoint({
    method: 'put',
    path: '/terms/:id',
    summary: 'Replace a term (isCurrent: true moves "current" here; unsetting it on the current term is 409 CONFLICT)',
    tags: terms,
    access: 'staff',
    params: idParams,
    body: termBody,
    responses: { 200: { description: 'Updated', schema: termSchema } },
    errors: ['NOT_FOUND', 'DUPLICATE', 'CONFLICT'],
  }),
  deleteTerm: endpoint({
    method: 'delete',
    path: '/terms/:id',
    summary: 'Delete a term without sections or enrollment windows (not the current one while others exist)',
    tags: terms,
    access: 'staff',
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['NOT_FOUND', 'IN_USE', 'CONFLICT'],
  }),

  listMajors: endpoint({
    method: 'get',
    path: '/majors',
    summary: 'All majors (전공) and general-education departments, by college',
    tags: majors,
    access: 'authenticated',
    query: majorQuery,
    responses: { 200: { description: 'Majors', schema: majorListSchema } },
  }),
  getMajor: endpoint({
    method: 'get',
    path: '/majors/:id',
    summary: 'One major',
    tags: majors,
    access: 'authenticated',
    params: idParams,
    responses: { 200: { description: 'Major', schema: majorSchema } },
    errors: ['NOT_FOUND'],
  }),
  createMajor: endpoint({
    method: 'post',
    path: '/majors',
    summary: 'Create a major',
    tags: majors,
    access: 'staff',
    body: majorBody,
    responses: { 201: { description: 'Created', schema: majorSchema } },
    errors: ['DUPLICATE'],
  }),
  updateMajor: endpoint({
    method: 'put',
    path: '/majors/:id',
    summary: 'Replace a major',
    tags: majors,
    access: 'staff',
    params: idParams,
    body: majorBody,
    responses: { 200: { description: 'Updated', schema: majorSchema } },
    errors: ['NOT_FOUND', 'DUPLICATE'],
  }),
  deleteMajor: endpoint({
    method: 'delete',
    path: '/majors/:id',
    summary: 'Delete an unused major (409 IN_USE naming the professors, lectures, sections or students that point at it)',
    tags: majors,
    access: 'staff',
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['NOT_FOUND', 'IN_USE'],
  }),

  listProfessors: endpoint({
    method: 'get',
    path: '/professors',
    summary: 'Professors by name, paginated',
    tags: professors,
    access: 'authenticated',
    query: professorQuery,
    responses: { 200: { description: 'A page of professors', schema: professorPageSchema } },
  }),
  getProfessor: endpoint({
    method: 'get',
    path: '/professors/:id',
    summary: 'One professor',
    tags: professors,
    access: 'authenticated',
    params: idParams,
    responses: { 200: { description: 'Professor', schema: professorSchema } },
    errors: ['NOT_FOUND'],
  }),
  createProfessor: endpoint({
    method: 'post',
    path: '/professors',
    summary: 'Create a professor (400 naming body.majorId for an unknown major)',
    tags: professors,
    access: 'staff',
    body: professorBody,
    responses: { 201: { description: 'Created', schema: professorSchema } },
    errors: ['VALIDATION_FAILED'],
  }),
  updateProfessor: endpoint({
    method: 'put',
    path: '/professors/:id',
    summary: 'Replace a professor',
    tags: professors,
    access: 'staff',
    params: idParams,
    body: professorBody,
    responses: { 200: { description: 'Updated', schema: professorSchema } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  }),
  deleteProfessor: endpoint({
    method: 'delete',
    path: '/professors/:id',
    summary: 'Delete a professor who teaches no section',
    tags: professors,
    access: 'staff',
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['NOT_FOUND', 'IN_USE'],
  }),

  listLectures: endpoint({
    method: 'get',
    path: '/lectures',
    summary: 'Lectures (강의) by code or title, paginated',
    tags: lectures,
    access: 'authenticated',
    query: lectureQuery,
    responses: { 200: { description: 'A page of lectures', schema: lecturePageSchema } },
  }),
  getLecture: endpoint({
    method: 'get',
    path: '/lectures/:id',
    summary: 'One lecture',
    tags: lectures,
    access: 'authenticated',
    params: idParams,
    responses: { 200: { description: 'Lecture', schema: lectureSchema } },
    errors: ['NOT_FOUND'],
  }),
  createLecture: endpoint({
    method: 'post',
    path: '/lectures',
    summary: 'Create a lecture (400 naming body.majorId for an unknown major)',
    tags: lectures,
    access: 'staff',
    body: lectureBody,
    responses: { 201: { description: 'Created', schema: lectureSchema } },
    errors: ['VALIDATION_FAILED', 'DUPLICATE'],
  }),
  updateLecture: endpoint({
    method: 'put',
    path: '/lectures/:id',
    summary: 'Replace a lecture',
    tags: lectures,
    access: 'staff',
    params: idParams,
    body: lectureBody,
    responses: { 200: { description: 'Updated', schema: lectureSchema } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'DUPLICATE'],
  }),
  deleteLecture: endpoint({
    method: 'delete',
    path: '/lectures/:id',
    summary: 'Delete a lecture that has no sections',
    tags: lectures,
    access: 'staff',
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['NOT_FOUND', 'IN_USE'],
  }),

  searchSections: endpoint({
    method: 'get',
    path: '/sections',
    summary:
      'Search sections (분반) of a term: every filter, sort and page on the server. The current term is answered from memory (no query when warm; seat and cart counts at most SEARCH_COUNTS_TTL_MS old); another term by at most six queries whatever the size, answers cached for SEARCH_CACHE_TTL_MS',
    tags: sections,
    access: 'authenticated',
    query: sectionQuery,
    responses: { 200: { description: 'A page of sections', schema: sectionPageSchema } },
  }),
  // Before getSection, whose /sections/:id would otherwise take "export.csv" for an id.
  exportSections: endpoint({
    method: 'get',
    path: '/sections/export.csv',
    summary: 'Every section of a term (default: the current term) as CSV',
    tags: sections,
    access: 'staff',
    query: sectionExportQuery,
    responses: { 200: { description: 'CSV with a header row', contentType: 'text/csv' } },
  }),
  importSections: endpoint({
      method: 'post',
      path: '/sections/import',
      summary:
        'Create (empty id) or replace sections from CSV (request Content-Type: text/csv, the columns of the export); all or nothing: 400 VALIDATION_FAILED naming `row N.<field>` writes nothing. ' +
        'With ?dryRun=true writes nothing and answers 200 with every row: what it would do, the section it would write and all its errors',
      tags: sections,
      access: 'staff',
      query: sectionImportQuery,
      rawBody: { contentType: 'text/csv', description: 'The columns of GET /sections/export.csv, one section a row, with the header row' },
      responses: {
        200: {
          description: 'How many sections were created and updated; with dryRun, the preview of every row',
          schema: z.union([sectionImportPreviewSchema, sectionImportResultSchema]),
        },
      },
      errors: ['VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE'],
    }),
  getSection: endpoint({
    method: 'get',
    path: '/sections/:id',
    summary: 'One section',
    tags: sections,
    access: 'authenticated',
    params: idParams,
    responses: { 200: { description: 'Section', schema: sectionSchema } },
    errors: ['NOT_FOUND'],
  }),
  createSection: endpoint({
    method: 'post',
    path: '/sections',
    summary:
      'Create a section (400 naming a reference that does not exist; 409 DUPLICATE section number, SCHEDULE_CONFLICT when the professor or the room is busy at a meeting)',
    tags: sections,
    access: 'staff',
    body: sectionBody,
    responses: { 201: { description: 'Created', schema: sectionSchema } },
    errors: ['VALIDATION_FAILED', 'DUPLICATE', 'SCHEDULE_CONFLICT'],
  }),
  updateSection: endpoint({
    method: 'put',
    path: '/sections/:id',
    summary:
      'Replace a section (capacity and reserved seats never below the seats taken: CAPACITY_BELOW_ENROLLED; no move to another lecture or term, and no removal of a used reservation, while students are enrolled: IN_USE)',
    tags: sections,
    access: 'staff',
    params: idParams,
    body: sectionBody,
    responses: { 200: { description: 'Updated', schema: sectionSchema } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'DUPLICATE', 'SCHEDULE_CONFLICT', 'CAPACITY_BELOW_ENROLLED', 'IN_USE'],
  }),
  deleteSection: endpoint({
    method: 'delete',
    path: '/sections/:id',
    summary: 'Delete a section nobody is enrolled in',
    tags: sections,
    access: 'staff',
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['NOT_FOUND', 'IN_USE'],
  }),
});
