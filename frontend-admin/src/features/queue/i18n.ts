/** The queue screens' messages (Korean first); the shell puts them under `queue.`. */
const ko = { title: '대기열 관리' };

const en: typeof ko = { title: 'Waiting room' };

export default { ko, en };
