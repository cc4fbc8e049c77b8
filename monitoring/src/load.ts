/**
 * A small registration-day load through the gateway, so every panel and rule has real samples:
 * staff switch the waiting room on at a low rate (a queue forms and drains), students sign in,
 * search the catalog, fill a cart, wait their turn, enroll (with some refusals: full, conflict,
 * already enrolled), read their timetable; staff watch the live stats; the AI helper is asked
 * when it runs. Smaller than `npm run bench -- --quick` on purpose (CI time); what it sends is
 * printed as a count per status.
 */
import { DEMO_LOGINS, DEMO_PASSWORD } from '@goorm/demo-data';

export interface LoadOptions {
  /** The gateway, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Student numbers to sign in (the demo's, read from the database). */
  students: string[];
  /** Students working at once (default 8). */
  concurrency?: number;
  /** Admission rate while the queue forms (students per second, default 2). */
  queueRate?: number;
  /** Whether to call the AI helper (only when it runs). */
  ai?: boolean;
}

export interface LoadReport {
  requests: number;
  byStatus: Record<string, number>;
  enrolled: number;
  seconds: number;
}

interface Section {
  id: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SEARCHES = ['', '프로그래밍', '수학', '데이터', 'a', '경영', '물리', '영어', '역사', '설계'];

export async function driveLoad(o: LoadOptions): Promise<LoadReport> {
  const started = performance.now();
  const byStatus: Record<string, number> = {};
  let requests = 0;
  let enrolled = 0;
  const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${o.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    requests++;
    byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text };
  };
  const login = async (role: 'student' | 'staff', loginId: string): Promise<string> => {
    const r = await call('POST', '/api/auth/login', undefined, { role, loginId, password: DEMO_PASSWORD });
    if (r.status !== 200) throw new Error(`login ${role} ${loginId}: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body as { accessToken: string }).accessToken;
  };

  const staff = await login('staff', DEMO_LOGINS.staff.loginId);
  // A queue that forms and drains: the room on at a low fixed rate while students arrive together.
  const settings = (mode: string, ratePerSecond: number, adaptive: boolean) =>
    call('PUT', '/api/enrollments/queue/settings', staff, { mode, ratePerSecond, adaptive, reason: 'monitoring proof: a small opening' });
  const setRes = await settings('on', o.queueRate ?? 2, false);
  if (setRes.status !== 200) throw new Error(`queue settings: ${setRes.status} ${JSON.stringify(setRes.body)}`);

  const pages = await Promise.all(SEARCHES.slice(0, 3).map((q) => call('GET', `/api/lectures/sections?size=50&q=${encodeURIComponent(q)}`, staff)));
  const sections = pages.flatMap((p) => ((p.body as { items?: Section[] }).items ?? []).map((s) => s.id));
  if (sections.length === 0) throw new Error('the catalog search answered no sections');

  let stop = false;
  const watcher = (async () => {
    // a staff dashboard tab and the queue screen, every second
    while (!stop) {
      await call('GET', '/api/enrollments/stats/live', staff);
      await call('GET', '/api/enrollments/queue/settings', staff);
      await sleep(1_000);
    }
  })();

  let next = 0;
  const student = async (studentNo: string, i: number) => {
    const token = await login('student', studentNo);
    for (let k = 0; k < 3; k++) await call('GET', `/api/lectures/sections?size=20&q=${encodeURIComponent(SEARCHES[(i + k) % SEARCHES.length]!)}`, token);
    await call('GET', `/api/lectures/sections/${sections[i % sections.length]}`, token);
    await call('GET', '/api/lectures/sections/99999999', token); // a 404 now and then, as real clients do
    const wanted = [0, 1, 2, 3].map((k) => sections[(i * 7 + k * 13) % sections.length]!);
    for (const id of wanted.slice(0, 2)) await call('POST', '/api/carts/me/items', token, { sectionId: id });
    await call('GET', '/api/carts/me', token);
    if (o.ai) {
      await call('GET', '/api/ai/recommendations?limit=5', token);
      await call('GET', `/api/ai/forecast?sectionIds=${wanted.join(',')}`, token);
    }
    // The waiting room: join, poll until admitted.
    let place = (await call('POST', '/api/enrollments/queue', token)).body as { ticket: string; admitted?: boolean; admissionToken?: string; etaSeconds?: number };
    for (let polls = 0; !place.admissionToken && polls < 120; polls++) {
      await sleep(Math.min(2_000, Math.max(300, (place.etaSeconds ?? 1) * 300)));
      const r = await call('GET', `/api/enrollments/queue/${encodeURIComponent(place.ticket)}`, token);
      if (r.status === 200) place = r.body as typeof place;
    }
    const admission: Record<string, string> = place.admissionToken ? { 'x-admission-token': place.admissionToken } : {};
    // Every wanted section, then the first again (ALREADY_ENROLLED).
    for (const id of [...wanted, wanted[0]!]) {
      const r = await call('POST', '/api/enrollments', token, { sectionId: id }, admission);
      if (r.status === 201) enrolled++;
    }
    await call('GET', '/api/enrollments/me', token);
    if (i % 3 === 0) await call('DELETE', `/api/enrollments/${wanted[1]}`, token, undefined, admission);
  };
  const workers = Array.from({ length: o.concurrency ?? 8 }, async () => {
    for (let i = next++; i < o.students.length; i = next++) await student(o.students[i]!, i);
  });
  try {
    await Promise.all(workers);
  } finally {
    stop = true;
    await watcher;
    // back to the default: auto, adaptive, at a serving rate
    await settings('auto', 200, true);
  }
  return { requests, byStatus, enrolled, seconds: (performance.now() - started) / 1000 };
}
