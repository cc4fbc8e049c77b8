/** Resource shapes the app works with (ARCHITECTURE.md "API contract"), after normalisation. */
export const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export type Day = (typeof DAYS)[number];
export const CATEGORIES = ['MAJOR_REQUIRED', 'MAJOR_ELECTIVE', 'GENERAL'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Phase = 'CART' | 'REGISTRATION' | 'ADD_DROP';

export interface Meeting {
  day: Day;
  startPeriod: number;
  endPeriod: number;
}

export interface LectureSummary {
  id: number;
  code: string;
  title: string;
  titleEn: string;
  credits: number;
  category: Category | string;
  majorId: number | undefined;
}

export interface Section {
  id: number;
  termId: number;
  lectureId: number;
  sectionNo: number;
  professorId: number;
  professorName: string;
  capacity: number;
  enrolled: number;
  cartCount: number;
  room: string;
  meetings: Meeting[];
  lecture: LectureSummary;
  /** Whether the signed-in student may enroll (undefined when the server does not say). */
  eligible: boolean | undefined;
  /** Grades allowed (undefined: any). */
  grades: number[] | undefined;
  /** Majors allowed (undefined or empty: any). */
  majorIds: number[] | undefined;
  /** Seats held for a major and/or grades until `releaseAt` (undefined when the server does not say). */
  reserved?: Reservation[];
}

export interface Reservation {
  /** null: students of any major (of `grades`). */
  majorId: number | null;
  grades: number[];
  seats: number;
  releaseAt: string;
}

/** One lecture with its syllabus (강의계획서). */
export interface LectureDetail extends LectureSummary {
  description: string | undefined;
}

export interface Term {
  id: number;
  code: string;
  name: string;
  /** `YYYY-MM-DD`, the first and last day of classes. */
  startsOn: string;
  endsOn: string;
  isCurrent: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
}

export interface Student {
  id: number;
  studentNo: string;
  name: string;
  majorId: number | undefined;
  grade: number | undefined;
  maxCredits: number | undefined;
}

export interface Session {
  accessToken: string;
  expiresAt: string;
  user: Student;
}

export interface Major {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  isGeneralEducation: boolean;
}

export interface EnrollmentWindow {
  id: number;
  termId: number;
  phase: Phase;
  grades: number[];
  opensAt: string;
  closesAt: string;
}

export interface Enrollment {
  sectionId: number;
  lectureId: number;
  createdAt: string | undefined;
  section: Section;
}

export interface Timetable {
  items: Enrollment[];
  totalCredits: number;
  maxCredits: number | undefined;
}

export interface CartItem {
  sectionId: number;
  section: Section;
}

export interface Cart {
  items: CartItem[];
  totalCredits: number;
  maxCredits: number | undefined;
}

export interface QueueStatus {
  ticket: string;
  position: number;
  etaSeconds: number;
  admitted: boolean;
  admissionToken: string | undefined;
  /** Position when first queued (the client keeps it to draw progress). */
  initialPosition?: number;
}
