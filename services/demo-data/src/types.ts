/** The generated university: plain arrays with ids, ready to load or to feed the benchmark. */

export const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export type Day = (typeof DAYS)[number];
export type Category = 'MAJOR_REQUIRED' | 'MAJOR_ELECTIVE' | 'GENERAL';
export type Phase = 'CART' | 'REGISTRATION' | 'ADD_DROP';

export interface Term {
  id: number;
  code: string;
  name: string;
  startsOn: string;
  endsOn: string;
  isCurrent: boolean;
}

export interface Major {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  college: string;
  isGeneralEducation: boolean;
}

export interface Professor {
  id: number;
  name: string;
  nameEn: string;
  majorId: number;
  email: string;
}

export interface Lecture {
  id: number;
  code: string;
  title: string;
  titleEn: string;
  credits: number;
  category: Category;
  majorId: number;
  /** Year level, the first digit of the code number (CSE2010 → 2). */
  level: number;
  description: string;
}

export interface Meeting {
  day: Day;
  startPeriod: number;
  endPeriod: number;
}

export interface Reservation {
  /** Seats held for students of this major (null: any major) ... */
  majorId: number | null;
  /** ... and of these grades (bit g-1 = grade g). */
  gradeMask: number;
  seats: number;
  /** After this instant unused reserved seats are open to everyone. */
  releaseAt: Date;
}

export interface Section {
  id: number;
  termId: number;
  lectureId: number;
  sectionNo: number;
  professorId: number;
  capacity: number;
  room: string;
  /** Allowed grades as a bit mask: bit g-1 set = grade g may enroll; 15 = all grades. */
  gradeMask: number;
  meetings: Meeting[];
  /** Majors allowed to enroll; empty = open to every major. */
  allowedMajorIds: number[];
  reservations: Reservation[];
}

export interface Student {
  id: number;
  studentNo: string;
  name: string;
  majorId: number;
  grade: 1 | 2 | 3 | 4;
  maxCredits: number;
}

export interface Staff {
  id: number;
  loginId: string;
  name: string;
}

export interface EnrollmentWindow {
  id: number;
  termId: number;
  phase: Phase;
  gradeMask: number;
  opensAt: Date;
  closesAt: Date;
}

export interface CartItem {
  studentId: number;
  sectionId: number;
}

export interface Room {
  name: string;
  building: string;
  size: number;
}

export interface University {
  seed: number;
  terms: Term[];
  currentTerm: Term;
  majors: Major[];
  professors: Professor[];
  lectures: Lecture[];
  sections: Section[];
  rooms: Room[];
  students: Student[];
  staff: Staff[];
  windows: EnrollmentWindow[];
  carts: CartItem[];
}

/** The demo accounts every generated university contains (password: the documented demo password). */
export const DEMO_PASSWORD = 'password123';
export const DEMO_LOGINS = {
  staff: { loginId: 'admin' },
  students: [
    { studentNo: '20230001', grade: 4 },
    { studentNo: '20240001', grade: 3 },
    { studentNo: '20250001', grade: 2 },
    { studentNo: '20260001', grade: 1 },
  ],
} as const;

export const gradeMaskOf = (grades: number[]) => grades.reduce((m, g) => m | (1 << (g - 1)), 0);
export const ALL_GRADES = 15;
