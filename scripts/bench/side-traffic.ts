/**
 * Catalog searches, timetable reads and staff dashboards (GET /stats/live, each tab every few seconds) beside the opening, in a child process of its own so its
 * event loop does not disturb the enrollment driver's clock. Open loop: requests are sent at a
 * fixed rate whatever the answers; when more than `maxInFlight` are outstanding the next ones are
 * shed (counted) instead of queueing in the client.
 *
 * Protocol (IPC, advanced serialization): parent sends {start: SideConfig}, later {stop: true};
 * the child answers {report: SideReport} and exits.
 */
import { performance } from 'node:perf_hooks';
import { Random } from '@goorm/demo-data';
import { bearer, HttpClient, type CallResult } from './client.ts';
import { EndpointStats, type EndpointReport } from './stats.ts';

export interface SideConfig {
  searchOrigin: string;
  timetableOrigin: string;
  searchRate: number;
  timetableRate: number;
  /** Staff dashboard refreshes per second (tabs / refresh seconds), with `staffToken`. */
  dashboardRate: number;
  staffToken: string;
  maxInFlight: number;
  searchTerms: string[];
  tokens: string[];
  seed: number;
}

export interface SideStream extends EndpointReport {
  samples: Float64Array;
  /** Requests the schedule called for but not sent because maxInFlight were outstanding. */
  shed: number;
  targetRps: number;
}

export interface SideReport {
  durationMs: number;
  search: SideStream;
  timetable: SideStream;
  dashboard: SideStream;
}

/** The shared generator's seeded PRNG: the same stream on every run. */
function rng(seed: number) {
  const r = new Random(seed);
  return () => r.next();
}

interface Stream {
  stats: EndpointStats;
  rate: number;
  sent: number;
  shed: number;
  inFlight: number;
  next: () => Promise<CallResult>;
}

async function run(cfg: SideConfig, stopped: Promise<void>): Promise<SideReport> {
  const random = rng(cfg.seed);
  const search = new HttpClient(cfg.searchOrigin, cfg.maxInFlight);
  const timetable = cfg.searchOrigin === cfg.timetableOrigin ? search : new HttpClient(cfg.timetableOrigin, cfg.maxInFlight);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const streams: Stream[] = [
    {
      stats: new EndpointStats('GET /api/lectures/sections?q='),
      rate: cfg.searchRate,
      sent: 0,
      shed: 0,
      inFlight: 0,
      next: () => {
        const page = 1 + Math.floor(random() * 3);
        const q = encodeURIComponent(pick(cfg.searchTerms));
        return search.call('GET', `/api/lectures/sections?q=${q}&page=${page}&size=20`, bearer(pick(cfg.tokens)));
      },
    },
    {
      stats: new EndpointStats('GET /api/enrollments/me'),
      rate: cfg.timetableRate,
      sent: 0,
      shed: 0,
      inFlight: 0,
      next: () => timetable.call('GET', '/api/enrollments/me', bearer(pick(cfg.tokens))),
    },
    {
      // What the staff app's dashboard asks every refresh (its default query).
      stats: new EndpointStats('GET /api/enrollments/stats/live'),
      rate: cfg.dashboardRate,
      sent: 0,
      shed: 0,
      inFlight: 0,
      next: () => timetable.call('GET', '/api/enrollments/stats/live', bearer(cfg.staffToken)),
    },
  ];
  const started = performance.now();
  let running = true;
  void stopped.then(() => {
    running = false;
  });
  const pending = new Set<Promise<void>>();
  while (running) {
    const elapsed = performance.now() - started;
    for (const s of streams) {
      if (s.rate <= 0) continue;
      const due = Math.floor((s.rate * elapsed) / 1000);
      while (s.sent + s.shed < due) {
        if (s.inFlight >= cfg.maxInFlight) {
          s.shed++;
          continue;
        }
        s.sent++;
        s.inFlight++;
        const p: Promise<void> = s.next().then((r) => {
          s.inFlight--;
          pending.delete(p);
          if (r.ok) s.stats.record(r.ms, r.status, typeof r.body?.code === 'string' ? r.body.code : undefined);
          else s.stats.failed(r.error);
        });
        pending.add(p);
      }
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const durationMs = performance.now() - started;
  await Promise.all(pending);
  await search.close();
  if (timetable !== search) await timetable.close();
  const out = (s: Stream): SideStream => ({
    ...s.stats.report(durationMs),
    samples: Float64Array.from(s.stats.latency.values()),
    shed: s.shed,
    targetRps: s.rate,
  });
  return { durationMs, search: out(streams[0]!), timetable: out(streams[1]!), dashboard: out(streams[2]!) };
}

if (process.send) {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((r) => (stop = r));
  process.on('message', (m: { start?: SideConfig; stop?: boolean }) => {
    if (m.start) {
      void run(m.start, stopped).then((report) => {
        process.send!({ report }, () => process.exit(0));
      });
    }
    if (m.stop) stop();
  });
  process.once('disconnect', () => process.exit(0));
  process.send({ ready: true });
}
