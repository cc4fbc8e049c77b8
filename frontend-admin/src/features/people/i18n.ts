/** The people screens' messages (Korean first); the shell puts them under `people.`. */
const ko = {
  roster: { title: '수강생 명단' },
  students: { title: '학생' },
  student: { title: '학생 정보' },
  staff: { title: '교직원 계정' },
  audit: { title: '감사 로그' },
};

const en: typeof ko = {
  roster: { title: 'Roster' },
  students: { title: 'Students' },
  student: { title: 'Student' },
  staff: { title: 'Staff accounts' },
  audit: { title: 'Audit log' },
};

export default { ko, en };
