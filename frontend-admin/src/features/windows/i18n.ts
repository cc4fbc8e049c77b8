/** The windows screens' messages (Korean first); the shell puts them under `windows.`. */
const ko = { title: '수강신청기간' };

const en: typeof ko = { title: 'Enrollment windows' };

export default { ko, en };
