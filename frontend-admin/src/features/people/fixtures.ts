/** Contract-typed answers for the people specs (a contract change breaks their compile). */
import type { AuditPage, Cart, MajorList, Roster, SectionCore, Staff, StaffPage, Student, StudentPage, Timetable } from '@goorm/contracts';

const at = '2026-03-02T01:00:00.000Z';

export const majorList = (): MajorList => ({
  items: [
    { id: 1, code: 'CSE', name: '컴퓨터공학과', nameEn: 'Computer Science', college: '공과대학', isGeneralEducation: false },
    { id: 2, code: 'MTH', name: '수학과', nameEn: 'Mathematics', college: '자연과학대학', isGeneralEducation: false },
  ],
});

export const student = (over: Partial<Student> = {}): Student => ({
  id: 7,
  studentNo: '20240001',
  name: '김구름',
  majorId: 1,
  grade: 3,
  maxCredits: 18,
  createdAt: at,
  updatedAt: at,
  ...over,
});

export const studentPage = (items: Student[] = [student()], over: Partial<StudentPage> = {}): StudentPage => ({ items, total: items.length, page: 1, size: 20, ...over });

export const staff = (over: Partial<Staff> = {}): Staff => ({ id: 1, loginId: 'admin', name: '관리자', createdAt: at, updatedAt: at, ...over });
export const staffPage = (items: Staff[] = [staff()]): StaffPage => ({ items, total: items.length, page: 1, size: 20 });

export const section = (over: Partial<SectionCore> = {}): SectionCore => ({
  id: 42,
  termId: 1,
  lectureId: 10,
  sectionNo: 1,
  professorId: 3,
  capacity: 40,
  enrolled: 12,
  cartCount: 30,
  room: '공학관 301',
  grades: [1, 2, 3, 4],
  allowedMajorIds: [],
  meetings: [
    { day: 'MON', startPeriod: 1, endPeriod: 2 },
    { day: 'WED', startPeriod: 3, endPeriod: 3 },
  ],
  lecture: { id: 10, code: 'CSE2010', title: '자료구조', titleEn: 'Data Structures', credits: 3, category: 'MAJOR_REQUIRED', majorId: 1 },
  professor: { id: 3, name: '이교수', nameEn: 'Prof. Lee' },
  ...over,
});

export const timetable = (sections: SectionCore[] = [section()]): Timetable => ({
  items: sections.map((s) => ({
    sectionId: s.id,
    lectureId: s.lectureId,
    studentId: 7,
    createdAt: at,
    section: {
      id: s.id,
      termId: s.termId,
      lectureId: s.lectureId,
      sectionNo: s.sectionNo,
      professorId: s.professorId,
      room: s.room,
      meetings: s.meetings,
      lecture: s.lecture,
      professor: s.professor,
    },
  })),
  totalCredits: sections.reduce((n, s) => n + s.lecture.credits, 0),
  maxCredits: 18,
});

export const cart = (sections: SectionCore[] = []): Cart => ({
  items: sections.map((s) => ({ sectionId: s.id, addedAt: at, section: { ...s, eligibility: { eligible: true } } })),
  totalCredits: sections.reduce((n, s) => n + s.lecture.credits, 0),
  creditLimit: 24,
});

export const roster = (): Roster => ({
  section: { id: 42, termId: 1, lectureCode: 'CSE2010', title: '자료구조', sectionNo: 1, capacity: 40, enrolled: 2 },
  items: [
    { studentId: 7, studentNo: '20240001', name: '김구름', majorId: 1, grade: 3, enrolledAt: at },
    { studentId: 8, studentNo: '20250001', name: '박하늘', majorId: 2, grade: 2, enrolledAt: '2026-03-02T01:05:00.000Z' },
  ],
});

export const auditPage = (): AuditPage => ({
  items: [
    {
      id: 5,
      staffId: 1,
      studentId: 7,
      sectionId: 42,
      action: 'OVERRIDE_DROP',
      target: 'student:7/section:42',
      reason: '학생 요청으로 취소',
      details: { lectureCode: 'CSE2010', sectionNo: 1 },
      createdAt: at,
    },
  ],
  total: 1,
  page: 1,
  size: 20,
});
