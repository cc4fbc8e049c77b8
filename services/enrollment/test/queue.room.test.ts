/**
 * The waiting room's behaviour, one suite run against both implementations: the in-process room
 * and the Redis room against the real server at 127.0.0.1:6379 (TEST_REDIS_URL). Each test uses
 * its own key prefix; the file removes its keys afterwards. Under CI=true a missing Redis fails.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '@goorm/common';
import type { EnrollmentWindow } from '../src/windows/windows.repository.ts';
import { AdmissionRateController, DEFAULT_ADAPTIVE } from '../src/queue/queue.adaptive.ts';
import { InProcessWaitingRoom } from '../src/queue/queue.memory.ts';
import { RedisWaitingRoom } from '../src/queue/queue.redis.ts';
import { ADMISSION_SLOTS, nextPollMs, recordAdmissions, spreadOf, windowActivates, type AdmissionSlot, type BaseWaitingRoom, type QueuePlace, type WaitingRoomOptions } from '../src/queue/queue.room.ts';
import { QueueTokens } from '../src/queue/queue.tokens.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function connectRedis(): Promise<Redis | undefined> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1_000, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return r;
  } catch (err) {
    r.disconnect();
    if (process.env.CI === 'true') throw new Error(`CI=true but Redis is not reachable at ${REDIS_URL}: ${(err as Error).message}`);
    return undefined;
  }
}

const redis = await connectRedis();
const RUN = randomBytes(4).toString('hex');
let prefixes = 0;

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`test:queue:{${RUN}-*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const SECRET = randomBytes(32).toString('hex');
const tokens = new QueueTokens(SECRET, 300);
const T0 = Date.UTC(2026, 1, 10, 1, 0, 0);

type RoomOptions = Partial<WaitingRoomOptions> & { rate?: number; mode?: 'auto' | 'on' | 'off'; adaptiveOn?: boolean };

interface RoomCase {
  name: string;
  /** A room in a fresh namespace (a new "queue"). */
  fresh(o: RoomOptions): { room: BaseWaitingRoom; ns: string };
  /** Another process on the same state: a second replica (Redis); the in-process room has none. */
  replica?(ns: string, o: RoomOptions): BaseWaitingRoom;
  /** Restart: the state is lost; returns the room a restarted service would use. */
  restart(ns: string, o: RoomOptions): Promise<BaseWaitingRoom>;
  /** Empties the store's state behind the running room's back (Redis only). */
  flush?(ns: string): Promise<void>;
}

function options(o: RoomOptions, clock: () => number): WaitingRoomOptions {
  const { rate, mode, adaptiveOn, ...rest } = o;
  return {
    tokens,
    defaults: { mode: mode ?? 'on', ratePerSecond: rate ?? 10, adaptive: adaptiveOn ?? false },
    clock,
    ...rest,
  };
}

/** A clock the tests move by hand. */
function testClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

const cases: RoomCase[] = [
  {
    name: 'in-process room',
    fresh(o) {
      return { room: new InProcessWaitingRoom(options(o, o.clock!)), ns: 'memory' };
    },
    async restart(_ns, o) {
      return new InProcessWaitingRoom(options(o, o.clock!));
    },
  },
];
if (redis) {
  const make = (ns: string, o: RoomOptions) => new RedisWaitingRoom({ ...options(o, o.clock!), redis, prefix: ns });
  const flush = async (ns: string) => {
    await redis.del(`${ns}q`, `${ns}state`, `${ns}settings`, `${ns}waits`);
  };
  cases.push({
    name: 'Redis room',
    fresh(o) {
      const ns = `test:queue:{${RUN}-${++prefixes}}:`;
      return { room: make(ns, o), ns };
    },
    replica: make,
    async restart(ns, o) {
      await flush(ns);
      return make(ns, o);
    },
    flush,
  });
}

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
const arrivalOf = (p: QueuePlace) => tokens.readTicket(p.ticket)!.arrival!;

describe.each(cases)('waiting room: $name', (c) => {
  it('FIFO: 200 concurrent joins get distinct places in arrival order, and admission follows that order exactly', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 20, clock: clock.now });
    const ids = range(200, 1001);
    const places = await Promise.all(ids.map((id) => room.join(id)));

    const arrivals = places.map(arrivalOf);
    expect(new Set(arrivals).size).toBe(200);
    expect([...arrivals].sort((a, b) => a - b)).toEqual(arrivals); // served in the order they came
    expect(places.map((p) => p.position)).toEqual(range(200));
    expect(places.every((p) => !p.admitted && p.admissionToken === undefined && p.active)).toBe(true);

    for (let second = 1; second <= 3; second++) {
      clock.advance(1_000);
      const polled = await Promise.all(places.map((p, i) => room.status(p.ticket, ids[i]!)));
      const admittedCount = 20 * second;
      expect(polled.map((p) => p.admitted)).toEqual(ids.map((_, i) => i < admittedCount));
      expect(polled.map((p) => p.position)).toEqual(ids.map((_, i) => (i < admittedCount ? 0 : i - admittedCount + 1)));
    }
    expect(await room.overview()).toMatchObject({ waiting: 140, admitted: 60, active: true });
  });

  it('the same student in ten tabs holds one place: ten concurrent joins answer one ticket and one position', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 1, clock: clock.now });
    for (const id of range(5, 1)) await room.join(id);
    const tabs = await Promise.all(range(10).map(() => room.join(77)));
    expect(new Set(tabs.map((t) => t.ticket)).size).toBe(1);
    expect(tabs.map((t) => t.position)).toEqual(Array(10).fill(6));
    expect((await room.overview()).waiting).toBe(6);

    // Later arrivals and refreshes never move the student back.
    for (const id of range(5, 100)) await room.join(id);
    clock.advance(200);
    const refreshed = await room.join(77);
    expect(refreshed.ticket).toBe(tabs[0]!.ticket);
    expect(refreshed.position).toBe(6);
    expect((await room.overview()).waiting).toBe(11);
  });

  it('admits R students per second: nobody at the opening instant, the first R after 1 s, the next R after 2 s', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 5, clock: clock.now });
    const ids = range(12, 1);
    const first = await Promise.all(ids.map((id) => room.join(id)));
    expect(first.filter((p) => p.admitted)).toHaveLength(0);
    expect(first.map((p) => p.etaSeconds)).toEqual(ids.map((_, i) => Math.ceil((i + 1) / 5)));

    const admittedAfter = async (ms: number) => {
      clock.advance(ms);
      const polled = await Promise.all(first.map((p, i) => room.status(p.ticket, ids[i]!)));
      return polled.filter((p) => p.admitted).map((_, i) => ids[i]);
    };
    expect(await admittedAfter(1_000)).toEqual(range(5, 1));
    expect(await admittedAfter(1_000)).toEqual(range(10, 1));
    expect(await admittedAfter(400)).toEqual(range(12, 1));
  });

  it('tells a waiting place when to poll: about position / rate, never under 250 ms nor over 10 s, spread by student; 0 once admitted', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 20, clock: clock.now });
    const ids = range(300, 1);
    const places = await Promise.all(ids.map((id) => room.join(id)));

    for (const p of places) {
      const untilAdmitted = (p.position * 1000) / 20; // 50 ms a place
      const told = p.retryAfterMs!;
      if (untilAdmitted < 8_000) {
        expect(told, `position ${p.position}`).toBeGreaterThanOrEqual(Math.max(250, untilAdmitted));
        expect(told, `position ${p.position}`).toBeLessThanOrEqual(Math.max(250, untilAdmitted) + 101);
      } else {
        expect(told, `position ${p.position}`).toBeGreaterThanOrEqual(8_000);
        expect(told, `position ${p.position}`).toBeLessThanOrEqual(10_000);
      }
    }
    // The first five are all admitted within 250 ms, and the 100 beyond 10 s are all told the cap: neither group polls in one millisecond.
    expect(new Set(places.slice(0, 5).map((p) => p.retryAfterMs)).size).toBe(5);
    expect(new Set(places.slice(200).map((p) => p.retryAfterMs)).size).toBeGreaterThan(80);

    // Polling when told finds the place admitted, and an admitted place is told 0.
    const tenth = places[9]!;
    clock.advance(tenth.retryAfterMs!);
    expect(await room.status(tenth.ticket, 10)).toMatchObject({ admitted: true, position: 0, retryAfterMs: 0 });

    await room.updateSettings({ mode: 'off', ratePerSecond: 20, adaptive: false });
    expect(await room.status(places[299]!.ticket, 300)).toMatchObject({ active: false, retryAfterMs: 0 });
  });

  it('students who poll when told cost at most two polls each at a steady rate (waits up to ~11 s)', async () => {
    const clock = testClock();
    const rate = 50;
    const { room } = c.fresh({ rate, clock: clock.now });
    // 600 students arrive over 1.2 s (500 a second, ten times the rate): the queue builds to ~540, the last wait ~11 s.
    const arrival = (id: number) => T0 + (id - 1) * 2;
    const events: Array<{ at: number; id: number; ticket?: string }> = range(600, 1).map((id) => ({ at: arrival(id), id }));
    const polls = new Map<number, number>();
    const admittedAt = new Map<number, number>();
    while (events.length) {
      events.sort((a, b) => a.at - b.at || a.id - b.id);
      const e = events.shift()!;
      clock.advance(e.at - clock.now());
      let place: QueuePlace;
      if (e.ticket === undefined) place = await room.join(e.id);
      else {
        polls.set(e.id, (polls.get(e.id) ?? 0) + 1);
        place = await room.status(e.ticket, e.id);
      }
      if (place.admitted) admittedAt.set(e.id, clock.now());
      else events.push({ at: clock.now() + place.retryAfterMs!, id: e.id, ticket: place.ticket });
    }

    expect(admittedAt.size).toBe(600);
    const longestWaitMs = Math.max(...[...admittedAt].map(([id, at]) => at - arrival(id)));
    expect(longestWaitMs).toBeGreaterThan(10_000); // some waits pass the 10 s cap
    const total = [...polls.values()].reduce((a, b) => a + b, 0);
    expect(total / admittedAt.size).toBeLessThanOrEqual(2);
    expect(Math.max(...polls.values())).toBeLessThanOrEqual(2);
  });

  it("records each second's admissions with their waits (for the median wait), and nothing while nobody is admitted", async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 5, clock: clock.now });
    const ids = range(12, 1);
    const places = await Promise.all(ids.map((id) => room.join(id)));
    expect(await room.recentAdmissions(T0 - 60_000)).toEqual([]);
    const pollAll = () => Promise.all(places.map((p, i) => room.status(p.ticket, ids[i]!)));
    clock.advance(1_000);
    await pollAll();
    clock.advance(1_000);
    await pollAll();
    await pollAll(); // the same second again: nobody new is admitted, nothing recorded
    const slots = await room.recentAdmissions(T0 - 60_000);
    expect(slots.map((s) => ({ ...s, waitSumMs: Math.round(s.waitSumMs) }))).toEqual([
      { atMs: T0 + 1_000, admitted: 5, waitSumMs: 5_000 },
      { atMs: T0 + 2_000, admitted: 5, waitSumMs: 10_000 },
    ]);
    expect(await room.recentAdmissions(T0 + 1_500)).toEqual([expect.objectContaining({ atMs: T0 + 2_000, admitted: 5 })]);
  });

  it('an idle room banks at most one second of admissions', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 5, clock: clock.now });
    await room.join(1);
    clock.advance(1_000);
    expect((await room.join(1)).admitted).toBe(true);
    clock.advance(60_000); // nobody waiting for a minute
    const burst = await Promise.all(range(20, 100).map((id) => room.join(id)));
    expect(burst.filter((p) => p.admitted)).toHaveLength(5);
    expect(burst.filter((p) => p.admitted).map(arrivalOf)).toEqual(burst.slice(0, 5).map(arrivalOf));
  });

  it('an admitted student gets a short-lived admission token that admits that student only', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 1, clock: clock.now });
    const a = await room.join(1);
    expect(a.admitted).toBe(false);
    clock.advance(1_000);
    const admitted = await room.status(a.ticket, 1);
    expect(admitted).toMatchObject({ admitted: true, position: 0, etaSeconds: 0, active: true });
    const token = admitted.admissionToken!;
    expect(admitted.admissionExpiresAt).toBe(new Date(clock.now() + 300_000).toISOString());

    expect(room.verifyAdmission(token, 1)).toBe('ok');
    expect(room.verifyAdmission(token, 2)).toBe('other-student');
    expect(room.verifyAdmission(undefined, 1)).toBe('missing');
    expect(room.verifyAdmission(admitted.ticket, 1)).toBe('invalid'); // a ticket is not a token
    const forgedBody = Buffer.from(JSON.stringify({ s: 1, e: clock.now() + 10 ** 9 })).toString('base64url');
    expect(room.verifyAdmission(`${forgedBody}.${token.split('.')[1]}`, 1)).toBe('invalid');
    const otherSecret = new QueueTokens(randomBytes(32), 300).signAdmission(1, clock.now()).token;
    expect(room.verifyAdmission(otherSecret, 1)).toBe('invalid');
    clock.advance(300_000);
    expect(room.verifyAdmission(token, 1)).toBe('expired');
    // Still admitted: polling again hands out a fresh token.
    const again = await room.status(admitted.ticket, 1);
    expect(room.verifyAdmission(again.admissionToken, 1)).toBe('ok');
  });

  it("polling: a forged or expired ticket answers 404, another student's ticket 403", async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 1, clock: clock.now, ticketTtlSeconds: 60 });
    const a = await room.join(1);
    const [body, mac] = a.ticket.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const earlier = Buffer.from(JSON.stringify({ ...claims, a: 1 })).toString('base64url');
    const forged = `${earlier}.${mac}`;
    await expect(room.status(forged, 1)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    await expect(room.status(a.ticket, 2)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    clock.advance(60_000);
    await expect(room.status(a.ticket, 1)).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND');
    expect((await room.overview()).waiting).toBe(1); // the forged arrival took no place
  });

  it('a place older than the ticket lifetime is stale: joining again starts at the back', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 1, clock: clock.now, ticketTtlSeconds: 60 });
    const old = await room.join(1);
    clock.advance(30_000);
    await room.join(2);
    clock.advance(31_000);
    const again = await room.join(1);
    expect(arrivalOf(again)).toBeGreaterThan(arrivalOf(old));
    const two = await room.join(2);
    expect(two.admitted || two.position < again.position).toBe(true);
  });

  it('after a restart that loses the queue, students who poll with their tickets keep their order ahead of later arrivals', async () => {
    const clock = testClock();
    const o = { rate: 1, clock: clock.now };
    const { room, ns } = c.fresh(o);
    const a = await room.join(1);
    const b = await room.join(2);
    const cc = await room.join(3);
    clock.advance(1_000);
    const aAdmitted = await room.status(a.ticket, 1);
    expect(aAdmitted.admitted).toBe(true);
    expect((await room.status(b.ticket, 2)).position).toBe(1);

    clock.advance(1_000);
    const restarted = await c.restart(ns, o); // everything in the store is gone
    expect((await restarted.overview()).waiting + (await restarted.overview()).admitted).toBe(0);
    expect(restarted.verifyAdmission(aAdmitted.admissionToken, 1)).toBe('ok'); // tokens are stateless

    const d = await restarted.join(4);
    expect(d.admitted).toBe(false);
    const [aa, bb, cc2] = await Promise.all([
      restarted.status(aAdmitted.ticket, 1),
      restarted.status(b.ticket, 2),
      restarted.status(cc.ticket, 3),
    ]);
    const dd = await restarted.status(d.ticket, 4);
    expect(aa.admitted).toBe(true);
    expect([bb.position, cc2.position, dd.position]).toEqual([1, 2, 3]);

    clock.advance(1_000);
    const next = await Promise.all([restarted.status(bb.ticket, 2), restarted.status(cc2.ticket, 3), restarted.status(dd.ticket, 4)]);
    expect(next.map((p) => p.admitted)).toEqual([true, false, false]);
    expect(next.map((p) => p.position)).toEqual([0, 1, 2]);
  });

  it('after a restart, a student who joins afresh first and polls the old ticket later gets the earlier place back', async () => {
    const clock = testClock();
    const o = { rate: 1, clock: clock.now };
    const { room, ns } = c.fresh(o);
    const a = await room.join(1);
    clock.advance(500);
    const restarted = await c.restart(ns, o);
    await restarted.join(2);
    const fresh = await restarted.join(1);
    expect(fresh.position).toBe(2); // behind 2: the room no longer knows 1
    const back = await restarted.status(a.ticket, 1);
    expect(back.position).toBe(1);
    expect(arrivalOf(back)).toBe(arrivalOf(a));
    expect((await restarted.overview()).waiting).toBe(2); // still one place per student
  });

  it('while the room is off, joining takes no place and hands out no token; once on, that ticket joins at the back', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 1, clock: clock.now, mode: 'off' });
    expect(await room.isActive()).toBe(false);
    const early = await room.join(1);
    expect(early).toEqual({ ticket: expect.any(String), position: 0, etaSeconds: 0, admitted: true, active: false, retryAfterMs: 0 });
    expect((await room.overview()).waiting).toBe(0);

    await room.updateSettings({ mode: 'on', ratePerSecond: 1, adaptive: false });
    expect(await room.isActive()).toBe(true);
    await room.join(2);
    const now = await room.status(early.ticket, 1);
    expect(now).toMatchObject({ admitted: false, position: 2, active: true });
  });

  it('auto mode: active while a REGISTRATION or ADD_DROP window opened less than activeMinutes ago, windows read at most once per cache period', async () => {
    const clock = testClock();
    let windows: EnrollmentWindow[] = [];
    const source = vi.fn(async () => windows);
    const { room } = c.fresh({ mode: 'auto', clock: clock.now, windows: source, activeMinutes: 30, windowsCacheMs: 5_000 });
    const w = (phase: EnrollmentWindow['phase'], opensMinAgo: number, closesInMin = 600): EnrollmentWindow => ({
      id: 1,
      termId: 1,
      phase,
      grades: [1, 2, 3, 4],
      opensAt: new Date(clock.now() - opensMinAgo * 60_000).toISOString(),
      closesAt: new Date(clock.now() + closesInMin * 60_000).toISOString(),
    });
    windows = [w('CART', 1)];
    expect(await room.isActive()).toBe(false);
    windows = [w('REGISTRATION', 10)];
    expect(await room.isActive()).toBe(false); // still the cached list
    clock.advance(5_000);
    expect(await room.isActive()).toBe(true);
    expect(source).toHaveBeenCalledTimes(2);
    expect((await room.join(1)).active).toBe(true);

    const now = clock.now();
    expect(windowActivates(w('ADD_DROP', 29), now, 30)).toBe(true);
    expect(windowActivates(w('REGISTRATION', 31), now, 30)).toBe(false);
    expect(windowActivates(w('REGISTRATION', 10, -1), now, 30)).toBe(false); // closed
    expect(windowActivates(w('REGISTRATION', -1), now, 30)).toBe(false); // not open yet
  });

  it('a new rate applies from the moment it is set: time before counts at the old rate', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 1, clock: clock.now });
    const ids = range(50, 1);
    const places = await Promise.all(ids.map((id) => room.join(id)));
    clock.advance(2_000);
    const s = await room.updateSettings({ mode: 'on', ratePerSecond: 100, adaptive: false });
    expect(s).toEqual({ mode: 'on', ratePerSecond: 100, adaptive: false, updatedAt: new Date(clock.now()).toISOString() });
    expect((await room.status(places[0]!.ticket, 1)).admitted).toBe(true);
    expect((await room.overview()).admitted).toBe(2);
    clock.advance(100);
    await room.status(places[0]!.ticket, 1);
    expect((await room.overview()).admitted).toBe(12);
    expect(await room.settings()).toMatchObject({ ratePerSecond: 100 });
  });

  it('adaptive: lowers the rate on slow or failing enrollments and raises it on healthy ones, within bounds and at most once per interval', async () => {
    const clock = testClock();
    const adaptive = { minRate: 20, maxRate: 120, intervalMs: 1_000, minSamples: 5, targetLatencyMs: 100 };
    const { room } = c.fresh({ rate: 100, adaptiveOn: true, clock: clock.now, adaptive });
    expect(await room.vote('down')).toBe(70);
    expect(await room.vote('down')).toBeUndefined(); // same interval
    expect(await room.vote('up')).toBeUndefined(); // no raise right after a change
    clock.advance(1_000);
    expect(await room.vote('up')).toBe(80.5);
    expect(await room.vote('down')).toBe(56.35); // a decrease may follow a raise at once
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000);
      await room.vote('down');
    }
    expect((await room.settings()).ratePerSecond).toBe(20);
    for (let i = 0; i < 20; i++) {
      clock.advance(1_000);
      await room.vote('up');
    }
    expect((await room.settings()).ratePerSecond).toBe(120);

    // Fed from the enroll route: slow answers lower the rate...
    for (let i = 0; i < 11; i++) {
      room.observe(400, true);
      clock.advance(110);
    }
    await vi.waitFor(async () => expect((await room.settings()).ratePerSecond).toBe(84));
    // ...server errors lower it even when fast...
    clock.advance(1_000);
    room.observe(5, true);
    clock.advance(1_000);
    room.observe(5, false);
    await vi.waitFor(async () => expect((await room.settings()).ratePerSecond).toBe(58.8));
    // ...and fast, healthy answers raise it.
    clock.advance(1_000);
    for (let i = 0; i < 11; i++) {
      room.observe(10, true);
      clock.advance(110);
    }
    await vi.waitFor(async () => expect((await room.settings()).ratePerSecond).toBe(67.62));
  });

  it('adaptive: a staff rate below the bounds is never raised by a down vote', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 5, adaptiveOn: true, clock: clock.now, adaptive: { minRate: 20, maxRate: 100 } });
    expect(await room.vote('down')).toBeUndefined();
    expect((await room.settings()).ratePerSecond).toBe(5);
    clock.advance(5_000);
    expect(await room.vote('up')).toBe(20);
  });

  it('adaptive off: votes and observations leave the staff rate alone', async () => {
    const clock = testClock();
    const { room } = c.fresh({ rate: 100, adaptiveOn: false, clock: clock.now });
    expect(await room.vote('down')).toBeUndefined();
    for (let i = 0; i < 30; i++) {
      room.observe(10_000, false);
      clock.advance(200);
    }
    await new Promise((r) => setTimeout(r, 20));
    expect((await room.settings()).ratePerSecond).toBe(100);
  });

  if (c.replica) it('two replicas sharing the store admit at the shared rate, not twice it, and apply one vote per interval', async () => {
    const clock = testClock();
    const o = { rate: 10, clock: clock.now, adaptiveOn: true, adaptive: { minRate: 1 } };
    const { room: one, ns } = c.fresh(o);
    const two = c.replica!(ns, o);
    const ids = range(60, 1);
    const places = await Promise.all(ids.map((id, i) => (i % 2 ? two : one).join(id)));
    clock.advance(1_000);
    const polled = await Promise.all(places.map((p, i) => (i % 2 ? one : two).status(p.ticket, ids[i]!)));
    expect(polled.filter((p) => p.admitted).length).toBe(10);
    // The ten admitted are the ten first arrivals, whichever replica each came through.
    const byArrival = [...polled].sort((x, y) => arrivalOf(x) - arrivalOf(y));
    expect(byArrival.map((p) => p.admitted)).toEqual(ids.map((_, i) => i < 10));
    expect(byArrival.map((p) => p.position)).toEqual(ids.map((_, i) => (i < 10 ? 0 : i - 9)));

    const votes = await Promise.all([one.vote('down'), two.vote('down')]);
    expect(votes.filter((v) => v !== undefined)).toEqual([7]);
    clock.advance(1);
    expect((await two.overview()).ratePerSecond).toBe(7);
  });

  if (c.flush) it('without an injected clock, arrivals and admission run on the Redis server clock', async () => {
    const { room } = c.fresh({ rate: 200 });
    const before = Date.now() * 1000;
    const a = await room.join(1);
    const b = await room.join(2);
    expect(Math.abs(arrivalOf(a) - before)).toBeLessThan(5_000_000);
    expect(arrivalOf(b)).toBeGreaterThan(arrivalOf(a));
    await new Promise((r) => setTimeout(r, 30));
    expect((await room.status(a.ticket, 1)).admitted).toBe(true);
  });

  if (c.flush) it('when the store is emptied under a running replica, a new arrival still lands behind every ticket this replica issued', async () => {
    const clock = testClock();
    const o = { rate: 1, clock: clock.now };
    const { room, ns } = c.fresh(o);
    const a = await room.join(1);
    const b = await room.join(2);
    await c.flush!(ns); // the clock does not move: only this replica's high-water mark protects the order
    const d = await room.join(4);
    const [aa, bb] = await Promise.all([room.status(a.ticket, 1), room.status(b.ticket, 2)]);
    const dd = await room.status(d.ticket, 4);
    expect([aa.position, bb.position, dd.position]).toEqual([1, 2, 3]);
  });
});

describe('nextPollMs', () => {
  it('is the time until admission at the rate, at least 250 ms, at most 10 s, with a per-student spread; 0 for an admitted place', () => {
    expect(nextPollMs(0, 200, 0.5)).toBe(0);
    expect(nextPollMs(400, 200, 0)).toBe(2_001);
    expect(nextPollMs(400, 200, 0.5)).toBe(2_051);
    expect(nextPollMs(1, 100_000, 0)).toBe(250); // a fast room: not more often than 4 times a second
    expect(nextPollMs(1, 100_000, 0.999)).toBe(349);
    expect(nextPollMs(5_000, 0.1, 0)).toBe(10_000); // far back: again within 10 s, to see a rate change
    expect(nextPollMs(5_000, 0.1, 0.5)).toBe(9_000);
    expect(spreadOf(1)).not.toBe(spreadOf(2));
    const spreads = range(1000).map(spreadOf);
    expect(Math.min(...spreads)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...spreads)).toBeLessThan(1);
  });
});

describe('recordAdmissions', () => {
  it('merges admissions of one second into one slot and keeps at most ADMISSION_SLOTS seconds', () => {
    const slots: AdmissionSlot[] = [];
    recordAdmissions(slots, 10_000_500_000, 2, 9_999_499_500, 9_999_499_500); // 2 students who waited 1000.5 ms
    recordAdmissions(slots, 10_000_900_000, 1, 10_000_000_000, 10_000_000_000);
    expect(slots).toEqual([{ atMs: 10_000_000, admitted: 3, waitSumMs: 2 * 1000.5 + 900 }]);
    for (let sec = 10_001; sec < 10_001 + ADMISSION_SLOTS + 5; sec++) recordAdmissions(slots, sec * 1_000_000, 1, sec * 1_000_000, sec * 1_000_000);
    expect(slots).toHaveLength(ADMISSION_SLOTS);
    expect(slots[0]!.atMs).toBe((10_001 + 5) * 1000);
  });
});

describe('AdmissionRateController', () => {
  const controller = () => new AdmissionRateController({ ...DEFAULT_ADAPTIVE, intervalMs: 1_000, minSamples: 5, targetLatencyMs: 100, maxErrorRate: 0.05 });
  const feed = (c: AdmissionRateController, values: Array<[number, boolean]>, start = 0, step = 100) =>
    values.map(([ms, ok], i) => c.observe(ms, ok, start + i * step)).filter((v) => v !== undefined);

  it('votes once per interval: down when p95 is above the target, up when comfortably below, hold in between', () => {
    expect(feed(controller(), Array.from({ length: 11 }, () => [300, true]))).toEqual(['down']);
    expect(feed(controller(), Array.from({ length: 11 }, () => [20, true]))).toEqual(['up']);
    expect(feed(controller(), Array.from({ length: 11 }, () => [90, true]))).toEqual(['hold']);
  });

  it('a slow p95 lowers the rate only while requests queue in the process; with few in flight it holds, or raises when very few', () => {
    const at = (inFlight: number) => {
      const c = controller();
      return Array.from({ length: 11 }, (_, i) => c.observe(300, true, i * 100, inFlight)).filter((v) => v !== undefined);
    };
    expect(at(DEFAULT_ADAPTIVE.busyInFlight)).toEqual(['down']);
    expect(at(DEFAULT_ADAPTIVE.busyInFlight - 1)).toEqual(['hold']);
    expect(at(DEFAULT_ADAPTIVE.busyInFlight / 2 - 1)).toEqual(['up']);
    // fast answers raise it whatever the in-flight count; errors lower it whatever the count
    const fast = controller();
    expect(Array.from({ length: 11 }, (_, i) => fast.observe(20, true, i * 100, 500)).filter(Boolean)).toEqual(['up']);
    const failing = controller();
    expect(Array.from({ length: 11 }, (_, i) => failing.observe(5, i !== 3, i * 100, 0)).filter(Boolean)).toEqual(['down']);
  });

  it('votes down on errors above the allowed share, however fast', () => {
    const values: Array<[number, boolean]> = Array.from({ length: 11 }, (_, i) => [5, i !== 3]);
    expect(feed(controller(), values)).toEqual(['down']);
  });

  it('does not judge latency on too few samples', () => {
    expect(feed(controller(), [[500, true], [500, true], [500, true]], 0, 600)).toEqual(['hold']);
  });

  it('keeps the next rate within bounds and never moves it against the vote', () => {
    const c = controller();
    expect(c.next(25, 'down')).toBe(DEFAULT_ADAPTIVE.minRate);
    expect(c.next(1_900, 'up')).toBe(DEFAULT_ADAPTIVE.maxRate);
    expect(c.next(100, 'hold')).toBe(100);
    expect(c.next(10, 'down')).toBe(10); // below the minimum already: a 'down' does not raise it
    expect(c.next(5_000, 'up')).toBe(5_000);
  });
});
