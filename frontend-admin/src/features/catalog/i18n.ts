/** The catalog screens' messages (Korean first); the shell puts them under `catalog.`. */
const ko = {
  terms: { title: '학기' },
  majors: { title: '전공' },
  professors: { title: '교수' },
  lectures: { title: '강의' },
  sections: { title: '분반' },
  sectionForm: { newTitle: '분반 만들기', editTitle: '분반 수정' },
  import: { title: '분반 CSV 가져오기' },
};

const en: typeof ko = {
  terms: { title: 'Terms' },
  majors: { title: 'Majors' },
  professors: { title: 'Professors' },
  lectures: { title: 'Lectures' },
  sections: { title: 'Sections' },
  sectionForm: { newTitle: 'New section', editTitle: 'Edit section' },
  import: { title: 'Import sections (CSV)' },
};

export default { ko, en };
