/**
 * The static part of the university: colleges, majors and the lecture titles each major offers.
 * Titles are written as `<year level>[R] <Korean title> | <English title>`; R marks a required
 * (전공필수) lecture. Codes are derived: major code + year level + running number (CSE2010).
 */

export interface MajorSpec {
  code: string;
  name: string;
  nameEn: string;
  college: string;
  /** The building its classes meet in (rooms like "공학관 301"). */
  building: string;
  isGeneralEducation: boolean;
  titles: TitleSpec[];
}

export interface TitleSpec {
  level: 1 | 2 | 3 | 4;
  required: boolean;
  title: string;
  titleEn: string;
}

function titles(text: string): TitleSpec[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^([1-4])(R?)\s+(.+?)\s*\|\s*(.+)$/.exec(line);
      if (!m) throw new Error(`bad title line: ${line}`);
      return { level: Number(m[1]) as 1 | 2 | 3 | 4, required: m[2] === 'R', title: m[3]!, titleEn: m[4]! };
    });
}

const major = (code: string, name: string, nameEn: string, college: string, building: string, text: string): MajorSpec => ({
  code,
  name,
  nameEn,
  college,
  building,
  isGeneralEducation: false,
  titles: titles(text),
});

const ENGINEERING = '공과대학';
const BUSINESS = '경영대학';
const HUMANITIES = '인문대학';
const SCIENCE = '자연과학대학';
const SOCIAL = '사회과학대학';
const EDUCATION = '사범대학';
const ARTS = '예술대학';
const NURSING = '간호대학';

export const GENERAL_EDUCATION: MajorSpec = {
  code: 'GED',
  name: '교양학부',
  nameEn: 'School of General Education',
  college: '자유교양대학',
  building: '교양관',
  isGeneralEducation: true,
  titles: titles(`
    1 글쓰기와 토론 | Writing and Debate
    1 대학영어 | College English
    1 대학영어회화 | College English Conversation
    1 컴퓨팅사고와 코딩 | Computational Thinking and Coding
    1 대학수학 | College Mathematics
    1 대학생활과 진로설계 | College Life and Career Design
    1 철학과 비판적 사고 | Philosophy and Critical Thinking
    1 한국사의 이해 | Understanding Korean History
    1 심리학의 이해 | Understanding Psychology
    1 경제와 사회 | Economy and Society
    1 현대사회와 윤리 | Ethics in Modern Society
    1 영화로 보는 세계문화 | World Cultures through Film
    1 환경과 인간 | Environment and Humanity
    1 생명과학의 이해 | Understanding Life Science
    1 인공지능과 미래사회 | AI and the Future Society
    1 데이터 리터러시 | Data Literacy
    1 음악의 이해 | Understanding Music
    1 미술의 이해 | Understanding Art
    1 건강과 운동 | Health and Exercise
    1 중국어 첫걸음 | First Steps in Chinese
    1 일본어 첫걸음 | First Steps in Japanese
    2 창업과 기업가정신 | Startups and Entrepreneurship
    2 리더십과 커뮤니케이션 | Leadership and Communication
    2 동양고전 읽기 | Reading Eastern Classics
    2 서양고전 읽기 | Reading Western Classics
    2 과학기술과 사회 | Science, Technology and Society
    2 글로벌 시민교육 | Global Citizenship Education
    2 통계로 세상 읽기 | Reading the World with Statistics
    2 프레젠테이션의 기술 | The Art of Presentation
    2 법과 생활 | Law and Everyday Life
    2 젠더와 사회 | Gender and Society
    2 우주의 이해 | Understanding the Universe
  `),
};

/**
 * Regular majors, ordered so that the first N give a varied university for any N
 * (the small demo takes the first eleven).
 */
export const MAJORS: MajorSpec[] = [
  major('CSE', '컴퓨터공학과', 'Computer Science and Engineering', ENGINEERING, '공학관', `
    1R 컴퓨터공학개론 | Introduction to Computer Science and Engineering
    1R 프로그래밍기초 | Programming Fundamentals
    1R 이산수학 | Discrete Mathematics
    2R 자료구조 | Data Structures
    2R 객체지향프로그래밍 | Object-Oriented Programming
    2R 컴퓨터구조 | Computer Architecture
    2 논리회로 | Logic Circuits
    2 시스템프로그래밍 | Systems Programming
    3R 알고리즘 | Algorithms
    3R 운영체제 | Operating Systems
    3 데이터베이스 | Database Systems
    3 컴퓨터네트워크 | Computer Networks
    3 소프트웨어공학 | Software Engineering
    3 프로그래밍언어론 | Programming Languages
    3 컴파일러 | Compilers
    4 인공지능 | Artificial Intelligence
    4 기계학습 | Machine Learning
    4 정보보호 | Information Security
    4 분산시스템 | Distributed Systems
    4 컴퓨터그래픽스 | Computer Graphics
    4R 캡스톤디자인 | Capstone Design
  `),
  major('BUS', '경영학과', 'Business Administration', BUSINESS, '경영관', `
    1R 경영학원론 | Principles of Management
    1R 경영통계 | Business Statistics
    2R 회계원리 | Principles of Accounting
    2R 마케팅원론 | Principles of Marketing
    2R 재무관리 | Financial Management
    2 조직행동론 | Organizational Behavior
    3 인적자원관리 | Human Resource Management
    3 생산운영관리 | Operations Management
    3 소비자행동론 | Consumer Behavior
    3 투자론 | Investments
    3 경영정보시스템 | Management Information Systems
    4 경영전략 | Strategic Management
    4 국제경영 | International Business
    4 기업가정신 | Entrepreneurship
  `),
  major('KOR', '국어국문학과', 'Korean Language and Literature', HUMANITIES, '인문관', `
    1R 국어학개론 | Introduction to Korean Linguistics
    1R 국문학개론 | Introduction to Korean Literature
    2R 고전문학사 | History of Classical Korean Literature
    2 현대시론 | Modern Korean Poetry
    2 현대소설론 | Modern Korean Fiction
    2 국어문법론 | Korean Grammar
    3 국어음운론 | Korean Phonology
    3 한국문학비평 | Korean Literary Criticism
    3 고전시가론 | Classical Korean Poetry
    3 국어사 | History of the Korean Language
    4 한국어교육론 | Teaching Korean as a Foreign Language
    4 현대문학특강 | Topics in Modern Korean Literature
  `),
  major('MAT', '수학과', 'Mathematics', SCIENCE, '자연과학관', `
    1R 미분적분학 | Calculus
    1R 선형대수학 | Linear Algebra
    2R 해석학 | Analysis
    2R 미분방정식 | Differential Equations
    2 집합론 | Set Theory
    2 정수론 | Number Theory
    3R 현대대수학 | Abstract Algebra
    3 복소해석학 | Complex Analysis
    3 위상수학 | Topology
    3 미분기하학 | Differential Geometry
    3 수치해석 | Numerical Analysis
    4 실해석학 | Real Analysis
    4 확률론 | Probability Theory
    4 수리논리 | Mathematical Logic
  `),
  major('EEE', '전자공학과', 'Electronic Engineering', ENGINEERING, '공학관', `
    1R 전자공학개론 | Introduction to Electronic Engineering
    1 기초회로실험 | Basic Circuits Laboratory
    2R 회로이론 | Circuit Theory
    2R 전자기학 | Electromagnetics
    2R 신호및시스템 | Signals and Systems
    2 디지털논리설계 | Digital Logic Design
    3R 전자회로 | Electronic Circuits
    3 통신이론 | Communication Theory
    3 제어공학 | Control Engineering
    3 반도체소자 | Semiconductor Devices
    3 디지털신호처리 | Digital Signal Processing
    3 마이크로프로세서 | Microprocessors
    4 VLSI설계 | VLSI Design
    4 임베디드시스템 | Embedded Systems
    4 무선통신 | Wireless Communications
    4 전력전자 | Power Electronics
  `),
  major('ENG', '영어영문학과', 'English Language and Literature', HUMANITIES, '인문관', `
    1R 영어학개론 | Introduction to English Linguistics
    1R 영문학개론 | Introduction to English Literature
    2R 영작문 | English Composition
    2 영미소설 | British and American Fiction
    2 영미시 | British and American Poetry
    2 영어음성학 | English Phonetics
    3 셰익스피어 | Shakespeare
    3 영어통사론 | English Syntax
    3 미국문학사 | History of American Literature
    3 영어교수법 | English Teaching Methods
    4 현대영미드라마 | Modern British and American Drama
    4 영어번역연습 | English Translation Practice
  `),
  major('PSY', '심리학과', 'Psychology', SOCIAL, '사회과학관', `
    1R 심리학개론 | Introduction to Psychology
    2R 심리통계 | Statistics for Psychology
    2 발달심리학 | Developmental Psychology
    2 사회심리학 | Social Psychology
    2 인지심리학 | Cognitive Psychology
    3R 실험심리학 | Experimental Psychology
    3 성격심리학 | Personality Psychology
    3 이상심리학 | Abnormal Psychology
    3 생물심리학 | Biological Psychology
    3 상담심리학 | Counseling Psychology
    4 임상심리학 | Clinical Psychology
    4 산업및조직심리학 | Industrial and Organizational Psychology
  `),
  major('ECO', '경제학과', 'Economics', SOCIAL, '사회과학관', `
    1R 경제학원론 | Principles of Economics
    1 경제수학 | Mathematics for Economists
    2R 미시경제학 | Microeconomics
    2R 거시경제학 | Macroeconomics
    2 계량경제학 | Econometrics
    3 화폐금융론 | Money and Banking
    3 재정학 | Public Finance
    3 노동경제학 | Labor Economics
    3 산업조직론 | Industrial Organization
    3 게임이론 | Game Theory
    4 경제발전론 | Economic Development
    4 행동경제학 | Behavioral Economics
  `),
  major('MEC', '기계공학과', 'Mechanical Engineering', ENGINEERING, '공학관', `
    1R 기계공학개론 | Introduction to Mechanical Engineering
    1 기계제도 | Mechanical Drawing
    2R 정역학 | Statics
    2R 동역학 | Dynamics
    2R 재료역학 | Mechanics of Materials
    2R 열역학 | Thermodynamics
    3R 유체역학 | Fluid Mechanics
    3 열전달 | Heat Transfer
    3 기계설계 | Machine Design
    3 기계진동 | Mechanical Vibrations
    3 제조공학 | Manufacturing Engineering
    4 자동제어 | Automatic Control
    4 메카트로닉스 | Mechatronics
    4 로봇공학 | Robotics
    4 유한요소해석 | Finite Element Analysis
  `),
  major('PHY', '물리학과', 'Physics', SCIENCE, '자연과학관', `
    1R 일반물리학 | General Physics
    1R 일반물리학실험 | General Physics Laboratory
    2R 역학 | Classical Mechanics
    2R 전자기학 | Electromagnetism
    2 수리물리학 | Mathematical Physics
    3R 양자역학 | Quantum Mechanics
    3 열및통계물리 | Thermal and Statistical Physics
    3 고체물리학 | Solid State Physics
    3 광학 | Optics
    3 현대물리실험 | Modern Physics Laboratory
    4 입자물리학 | Particle Physics
    4 천체물리학 | Astrophysics
    4 응집물질물리 | Condensed Matter Physics
  `),
  major('POL', '정치외교학과', 'Political Science and International Relations', SOCIAL, '사회과학관', `
    1R 정치학개론 | Introduction to Political Science
    1R 국제관계학개론 | Introduction to International Relations
    2R 한국정치론 | Korean Politics
    2 비교정치론 | Comparative Politics
    2 서양정치사상 | Western Political Thought
    3 국제정치경제 | International Political Economy
    3 외교정책론 | Foreign Policy Analysis
    3 정치과정론 | Political Process
    3 동아시아국제관계 | East Asian International Relations
    4 통일과북한정치 | Unification and North Korean Politics
    4 국제기구론 | International Organizations
  `),
  major('SWE', '소프트웨어학과', 'Software', ENGINEERING, 'IT관', `
    1R 소프트웨어개론 | Introduction to Software
    1R 파이썬프로그래밍 | Python Programming
    2R 자바프로그래밍 | Java Programming
    2 웹프로그래밍 | Web Programming
    2 오픈소스소프트웨어 | Open Source Software
    3 모바일프로그래밍 | Mobile Programming
    3 클라우드컴퓨팅 | Cloud Computing
    3 소프트웨어테스팅 | Software Testing
    3 데이터베이스설계 | Database Design
    4 소프트웨어아키텍처 | Software Architecture
    4 데브옵스 | DevOps Engineering
    4R 소프트웨어캡스톤 | Software Capstone Project
  `),
  major('AIE', '인공지능학과', 'Artificial Intelligence', ENGINEERING, 'IT관', `
    1R 인공지능개론 | Introduction to Artificial Intelligence
    1R 인공지능수학 | Mathematics for Artificial Intelligence
    2R 확률과통계 | Probability and Statistics
    2 데이터과학 | Data Science
    2 인공지능프로그래밍 | Programming for Artificial Intelligence
    3R 딥러닝 | Deep Learning
    3 자연어처리 | Natural Language Processing
    3 컴퓨터비전 | Computer Vision
    3 강화학습 | Reinforcement Learning
    4 생성모델 | Generative Models
    4 인공지능윤리 | Ethics of Artificial Intelligence
    4 인공지능프로젝트 | Artificial Intelligence Project
  `),
  major('ACC', '회계학과', 'Accounting', BUSINESS, '경영관', `
    1R 회계학원론 | Introduction to Accounting
    2R 중급회계 | Intermediate Accounting
    2R 원가회계 | Cost Accounting
    3 고급회계 | Advanced Accounting
    3 세법 | Taxation
    3 회계감사 | Auditing
    3 관리회계 | Managerial Accounting
    4 세무회계 | Tax Accounting
    4 회계정보시스템 | Accounting Information Systems
  `),
  major('HIS', '사학과', 'History', HUMANITIES, '인문관', `
    1R 역사학개론 | Introduction to History
    2R 한국고대사 | Ancient Korean History
    2R 서양사개설 | Survey of Western History
    2 동양사개설 | Survey of Asian History
    3 한국근현대사 | Modern and Contemporary Korean History
    3 중국근대사 | Modern Chinese History
    3 서양중세사 | Medieval European History
    3 사료강독 | Reading Historical Sources
    4 역사학방법론 | Historical Methodology
    4 한국사특강 | Topics in Korean History
  `),
  major('CHM', '화학과', 'Chemistry', SCIENCE, '자연과학관', `
    1R 일반화학 | General Chemistry
    1R 일반화학실험 | General Chemistry Laboratory
    2R 유기화학 | Organic Chemistry
    2R 분석화학 | Analytical Chemistry
    2 물리화학 | Physical Chemistry
    3 무기화학 | Inorganic Chemistry
    3 생화학 | Biochemistry
    3 고분자화학 | Polymer Chemistry
    3 기기분석 | Instrumental Analysis
    4 유기합성 | Organic Synthesis
    4 계산화학 | Computational Chemistry
  `),
  major('BIO', '생명과학과', 'Life Science', SCIENCE, '자연과학관', `
    1R 일반생물학 | General Biology
    1 일반생물학실험 | General Biology Laboratory
    2R 세포생물학 | Cell Biology
    2R 유전학 | Genetics
    2 미생물학 | Microbiology
    3R 분자생물학 | Molecular Biology
    3 생리학 | Physiology
    3 면역학 | Immunology
    3 발생생물학 | Developmental Biology
    3 생태학 | Ecology
    4 신경생물학 | Neurobiology
    4 생물정보학 | Bioinformatics
    4 유전체학 | Genomics
  `),
  major('STA', '통계학과', 'Statistics', SCIENCE, '자연과학관', `
    1R 통계학개론 | Introduction to Statistics
    1 통계프로그래밍 | Statistical Programming
    2R 수리통계학 | Mathematical Statistics
    2R 회귀분석 | Regression Analysis
    2 표본조사론 | Sampling Theory
    3 다변량분석 | Multivariate Analysis
    3 실험계획법 | Design of Experiments
    3 시계열분석 | Time Series Analysis
    3 베이지안통계 | Bayesian Statistics
    4 통계적학습 | Statistical Learning
    4 빅데이터분석 | Big Data Analytics
  `),
  major('PAD', '행정학과', 'Public Administration', SOCIAL, '사회과학관', `
    1R 행정학원론 | Principles of Public Administration
    2R 조직론 | Organization Theory
    2R 정책학원론 | Principles of Public Policy
    2 지방자치론 | Local Autonomy
    3 재무행정론 | Public Financial Administration
    3 인사행정론 | Public Personnel Administration
    3 정책분석론 | Policy Analysis
    3 행정법 | Administrative Law
    4 전자정부론 | E-Government
    4 행정윤리 | Administrative Ethics
  `),
  major('SOC', '사회학과', 'Sociology', SOCIAL, '사회과학관', `
    1R 사회학개론 | Introduction to Sociology
    2R 사회학이론 | Sociological Theory
    2R 사회조사방법론 | Social Research Methods
    2 사회통계 | Social Statistics
    3 가족사회학 | Sociology of the Family
    3 도시사회학 | Urban Sociology
    3 문화사회학 | Sociology of Culture
    3 사회계층론 | Social Stratification
    4 노동사회학 | Sociology of Work
    4 사회문제론 | Social Problems
  `),
  major('MCO', '미디어커뮤니케이션학과', 'Media and Communication', SOCIAL, '사회과학관', `
    1R 커뮤니케이션개론 | Introduction to Communication
    2R 미디어와사회 | Media and Society
    2 저널리즘의이해 | Understanding Journalism
    2 광고학개론 | Introduction to Advertising
    3 방송제작실습 | Broadcast Production Practice
    3 디지털미디어론 | Digital Media
    3 PR론 | Public Relations
    3 영상커뮤니케이션 | Visual Communication
    4 미디어법과윤리 | Media Law and Ethics
    4 데이터저널리즘 | Data Journalism
  `),
  major('EDU', '교육학과', 'Education', EDUCATION, '교육관', `
    1R 교육학개론 | Introduction to Education
    2R 교육심리학 | Educational Psychology
    2R 교육과정 | Curriculum Studies
    2 교육철학 | Philosophy of Education
    3 교육평가 | Educational Evaluation
    3 교육공학 | Educational Technology
    3 교육행정 | Educational Administration
    3 교육사회학 | Sociology of Education
    4 교육연구방법 | Educational Research Methods
    4 평생교육론 | Lifelong Education
  `),
  major('DES', '디자인학과', 'Design', ARTS, '예술관', `
    1R 기초디자인 | Basic Design
    1R 디자인드로잉 | Design Drawing
    2R 시각디자인 | Visual Design
    2 타이포그래피 | Typography
    2 디지털디자인 | Digital Design
    3 UX디자인 | UX Design
    3 브랜드디자인 | Brand Design
    3 제품디자인 | Product Design
    3 디자인사 | History of Design
    4 디자인포트폴리오 | Design Portfolio
    4R 졸업작품 | Graduation Project
  `),
  major('NUR', '간호학과', 'Nursing', NURSING, '간호관', `
    1R 간호학개론 | Introduction to Nursing
    1R 인체해부학 | Human Anatomy
    2R 인체생리학 | Human Physiology
    2R 기본간호학 | Fundamentals of Nursing
    2 병태생리학 | Pathophysiology
    2 약리학 | Pharmacology
    3R 성인간호학 | Adult Health Nursing
    3 아동간호학 | Child Health Nursing
    3 모성간호학 | Maternity Nursing
    3 정신간호학 | Psychiatric Nursing
    3 지역사회간호학 | Community Health Nursing
    4 간호관리학 | Nursing Management
    4R 임상실습 | Clinical Practicum
    4 간호연구 | Nursing Research
  `),
  major('CHE', '화학공학과', 'Chemical Engineering', ENGINEERING, '공학관', `
    1R 화학공학개론 | Introduction to Chemical Engineering
    2R 화공양론 | Chemical Process Calculations
    2R 화공열역학 | Chemical Engineering Thermodynamics
    2 화공물리화학 | Physical Chemistry for Chemical Engineers
    3R 이동현상 | Transport Phenomena
    3R 반응공학 | Chemical Reaction Engineering
    3 단위조작 | Unit Operations
    3 공정제어 | Process Control
    3 고분자공학 | Polymer Engineering
    4 공정설계 | Process Design
    4 생물화학공학 | Biochemical Engineering
    4 촉매공학 | Catalysis Engineering
  `),
  major('ARC', '건축학과', 'Architecture', ENGINEERING, '건축관', `
    1R 건축학개론 | Introduction to Architecture
    1R 건축설계기초 | Basic Architectural Design
    2R 건축설계1 | Architectural Design 1
    2 서양건축사 | History of Western Architecture
    2 건축구조 | Building Structures
    3R 건축설계2 | Architectural Design 2
    3 한국건축사 | History of Korean Architecture
    3 건축환경 | Building Environment
    3 도시계획 | Urban Planning
    4 건축설계3 | Architectural Design 3
    4 건축법규 | Building Codes and Regulations
    4 건축시공 | Building Construction
  `),
  major('IEN', '산업공학과', 'Industrial Engineering', ENGINEERING, '공학관', `
    1R 산업공학개론 | Introduction to Industrial Engineering
    2R 경영과학 | Operations Research
    2R 공학통계 | Engineering Statistics
    2 생산관리 | Production Management
    3 품질경영 | Quality Management
    3 시뮬레이션 | Simulation
    3 인간공학 | Human Factors Engineering
    3 데이터마이닝 | Data Mining
    3 최적화이론 | Optimization Theory
    4 공급망관리 | Supply Chain Management
    4 산업공학종합설계 | Industrial Engineering Capstone Design
  `),
  major('MSE', '신소재공학과', 'Materials Science and Engineering', ENGINEERING, '공학관', `
    1R 재료과학개론 | Introduction to Materials Science
    2R 재료열역학 | Thermodynamics of Materials
    2 결정학 | Crystallography
    2 재료물리 | Physics of Materials
    3R 상변태 | Phase Transformations
    3 전자재료 | Electronic Materials
    3 세라믹공학 | Ceramic Engineering
    3 금속재료 | Metallic Materials
    4 나노재료 | Nanomaterials
    4 재료분석 | Materials Characterization
    4 에너지재료 | Energy Materials
  `),
  major('CIV', '토목공학과', 'Civil Engineering', ENGINEERING, '공학관', `
    1R 토목공학개론 | Introduction to Civil Engineering
    2R 측량학 | Surveying
    2R 구조역학 | Structural Mechanics
    2 수리학 | Hydraulics
    3R 토질역학 | Soil Mechanics
    3 철근콘크리트 | Reinforced Concrete
    3 교통공학 | Transportation Engineering
    3 수문학 | Hydrology
    4 강구조설계 | Steel Structure Design
    4 기초공학 | Foundation Engineering
    4 건설관리 | Construction Management
  `),
  major('ITR', '국제통상학과', 'International Trade', BUSINESS, '경영관', `
    1R 국제통상개론 | Introduction to International Trade
    2R 무역학원론 | Principles of Trade
    2 국제경제학 | International Economics
    3 무역실무 | Trade Practice
    3 국제금융 | International Finance
    3 국제마케팅 | International Marketing
    3 통상법 | Trade Law
    4 글로벌물류 | Global Logistics
    4 FTA와통상정책 | FTAs and Trade Policy
  `),
  major('PHI', '철학과', 'Philosophy', HUMANITIES, '인문관', `
    1R 철학개론 | Introduction to Philosophy
    1R 논리학 | Logic
    2R 윤리학 | Ethics
    2 서양고대철학 | Ancient Western Philosophy
    2 동양철학입문 | Introduction to Eastern Philosophy
    3 인식론 | Epistemology
    3 형이상학 | Metaphysics
    3 심리철학 | Philosophy of Mind
    3 과학철학 | Philosophy of Science
    4 현대철학특강 | Topics in Contemporary Philosophy
  `),
  major('CHN', '중어중문학과', 'Chinese Language and Literature', HUMANITIES, '인문관', `
    1R 기초중국어 | Elementary Chinese
    1 중국문화개론 | Introduction to Chinese Culture
    2R 중급중국어 | Intermediate Chinese
    2 중국어회화 | Chinese Conversation
    2 중국문학사 | History of Chinese Literature
    3 고급중국어 | Advanced Chinese
    3 중국현대문학 | Modern Chinese Literature
    3 중국어번역 | Chinese Translation
    4 비즈니스중국어 | Business Chinese
    4 한중통역 | Korean-Chinese Interpretation
  `),
  major('JPN', '일어일문학과', 'Japanese Language and Literature', HUMANITIES, '인문관', `
    1R 기초일본어 | Elementary Japanese
    1 일본문화개론 | Introduction to Japanese Culture
    2R 중급일본어 | Intermediate Japanese
    2 일본어회화 | Japanese Conversation
    2 일본문학사 | History of Japanese Literature
    3 고급일본어 | Advanced Japanese
    3 일본근대문학 | Modern Japanese Literature
    3 일본어학 | Japanese Linguistics
    4 비즈니스일본어 | Business Japanese
    4 한일번역 | Korean-Japanese Translation
  `),
  major('FRE', '불어불문학과', 'French Language and Literature', HUMANITIES, '인문관', `
    1R 기초프랑스어 | Elementary French
    2R 중급프랑스어 | Intermediate French
    2 프랑스문학사 | History of French Literature
    2 프랑스어회화 | French Conversation
    3 프랑스소설 | The French Novel
    3 프랑스문화와예술 | French Culture and Arts
    3 프랑스어문법 | French Grammar
    4 현대프랑스시 | Modern French Poetry
  `),
  major('EAS', '지구환경과학과', 'Earth and Environmental Sciences', SCIENCE, '자연과학관', `
    1R 지구과학개론 | Introduction to Earth Science
    2R 광물학 | Mineralogy
    2 대기과학 | Atmospheric Science
    2 해양학 | Oceanography
    3 지질학 | Geology
    3 기후변화과학 | Climate Change Science
    3 지구물리학 | Geophysics
    3 환경지화학 | Environmental Geochemistry
    4 원격탐사 | Remote Sensing
  `),
  major('SWF', '사회복지학과', 'Social Welfare', SOCIAL, '사회과학관', `
    1R 사회복지개론 | Introduction to Social Welfare
    2R 인간행동과사회환경 | Human Behavior and the Social Environment
    2R 사회복지실천론 | Social Work Practice
    2 사회복지정책론 | Social Welfare Policy
    3 사회복지행정론 | Social Welfare Administration
    3 지역사회복지론 | Community Social Welfare
    3 아동복지론 | Child Welfare
    3 노인복지론 | Welfare for the Elderly
    4R 사회복지현장실습 | Social Work Field Practicum
    4 사회복지법제 | Social Welfare Law
  `),
  major('MED', '수학교육과', 'Mathematics Education', EDUCATION, '교육관', `
    1R 수학교육개론 | Introduction to Mathematics Education
    1 미분적분학및연습 | Calculus with Exercises
    2R 기하학 | Geometry
    2R 수학교수법 | Mathematics Teaching Methods
    2 대수학 | Algebra
    3 수학교육론 | Theories of Mathematics Education
    3 수학교재연구 | Mathematics Textbook Research
    3 확률과통계교육 | Teaching Probability and Statistics
    4 수학교육평가 | Assessment in Mathematics Education
  `),
  major('KED', '국어교육과', 'Korean Language Education', EDUCATION, '교육관', `
    1R 국어교육학개론 | Introduction to Korean Language Education
    2R 국어교육론 | Theories of Korean Language Education
    2 문학교육론 | Literature Education
    2 작문교육론 | Teaching Writing
    3 국어교재연구 | Korean Textbook Research
    3 화법교육론 | Teaching Speech
    3 독서교육론 | Teaching Reading
    4 국어교육평가 | Assessment in Korean Language Education
  `),
  major('MUS', '음악학과', 'Music', ARTS, '예술관', `
    1R 음악이론 | Music Theory
    1R 시창청음 | Sight-Singing and Ear Training
    2R 화성학 | Harmony
    2 서양음악사 | History of Western Music
    2 합창 | Choir
    3 대위법 | Counterpoint
    3 관현악법 | Orchestration
    3 한국음악사 | History of Korean Music
    3 실내악 | Chamber Music
    4 작곡세미나 | Composition Seminar
    4R 졸업연주 | Graduation Recital
  `),
];

/** How a title is stretched when a major needs more lectures than it has distinct titles. */
export const TITLE_VARIANTS: ReadonlyArray<{
  /** sp is ' ' for titles written with spaces (교양), '' for the compact major style. */
  ko: (t: string, sp: string) => string;
  en: (t: string) => string;
  level: (l: number) => 1 | 2 | 3 | 4;
}> = [
  { ko: (t, sp) => `${t}${sp}연습`, en: (t) => `${t} Practice`, level: (l) => l as 1 | 2 | 3 | 4 },
  { ko: (t, sp) => `고급${sp}${t}`, en: (t) => `Advanced ${t}`, level: (l) => Math.min(4, l + 1) as 1 | 2 | 3 | 4 },
  { ko: (t, sp) => `${t}${sp}세미나`, en: (t) => `Seminar in ${t}`, level: (l) => Math.max(3, l) as 3 | 4 },
  { ko: (t, sp) => `${t}${sp}특론`, en: (t) => `Special Topics in ${t}`, level: () => 4 },
  { ko: (t, sp) => `${t}${sp}응용`, en: (t) => `Applied ${t}`, level: (l) => Math.min(4, l + 1) as 1 | 2 | 3 | 4 },
];

export const MAX_MAJORS = MAJORS.length + 1;
