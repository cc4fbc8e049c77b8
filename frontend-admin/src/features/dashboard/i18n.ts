/** The dashboard screens' messages (Korean first); the shell puts them under `dashboard.`. */
const ko = { title: '수강신청 현황' };

const en: typeof ko = { title: 'Registration dashboard' };

export default { ko, en };
