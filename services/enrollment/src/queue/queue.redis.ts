import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  ADMISSION_SLOTS,
  BaseWaitingRoom,
  QUEUE_MODES,
  type AdmissionSlot,
  type CorePlace,
  type CoreTime,
  type QueueMode,
  type QueueSettingsInput,
  type RateAdjustment,
  type StoredSettings,
  type WaitingRoomOptions,
} from './queue.room.ts';

/** A Lua script run by SHA1, loaded with EVAL when Redis does not know it (NOSCRIPT: first use, or after a restart). */
class RedisScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error)?.message ?? '').includes('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/*
 * Keys (all under one prefix with a {hash tag}, so a Redis Cluster keeps them in one slot):
 *   <prefix>q         sorted set: member = student id, score = arrival (µs since the epoch)
 *   <prefix>state     hash: S (admission cursor: every arrival <= S is admitted), credit, at (µs), last (latest arrival)
 *   <prefix>settings  hash: mode, rate, adaptive (1/0), updatedAt, adjustedAt, decreasedAt
 *   <prefix>waits     list, newest first: "second:admitted:waitSumMs", one entry per second that admitted anyone, at most ADMISSION_SLOTS
 * Every operation is ONE Lua script, so it is atomic however many replicas share the keys, and
 * the cursor is derived from time x rate stored here: replicas never tick on their own.
 * ARGV[1] is "now" in µs, or '' to use the Redis server's TIME (production: one clock for all).
 */
const PRELUDE = `
local function now_us()
  if ARGV[1] ~= '' then return tonumber(ARGV[1]) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local function fmt(x) return string.format('%.0f', x) end
local function current_rate(default_rate)
  return tonumber(redis.call('HGET', KEYS[3], 'rate')) or tonumber(default_rate)
end
-- Adds n admissions (first and last arrival, µs) at now to the newest per-second slot of KEYS[4], or a new one
-- (as recordAdmissions in queue.room.ts): "second:admitted:waitSumMs", newest first, at most ${ADMISSION_SLOTS}.
local function record_admissions(now, n, first, last)
  local sec = math.floor(now / 1000000)
  local wait = n * (now - (first + last) / 2) / 1000
  if wait < 0 then wait = 0 end
  local head = redis.call('LINDEX', KEYS[4], 0)
  if head then
    local hs, hn, hw = string.match(head, '^(%d+):(%d+):([%d%.]+)$')
    if hs and tonumber(hs) == sec then
      redis.call('LSET', KEYS[4], 0, fmt(sec) .. ':' .. fmt(tonumber(hn) + n) .. ':' .. fmt(tonumber(hw) + wait))
      return
    end
  end
  redis.call('LPUSH', KEYS[4], fmt(sec) .. ':' .. fmt(n) .. ':' .. fmt(wait))
  redis.call('LTRIM', KEYS[4], 0, ${ADMISSION_SLOTS - 1})
end
-- Moves the cursor S forward by the credit earned at rate per second since the last move
-- (a new room starts with no credit: the first student is admitted 1/rate s after it starts).
-- Unused credit (nobody left to admit) is capped at one second's worth, so an idle room banks nothing.
local function advance(now, rate)
  local st = redis.call('HMGET', KEYS[2], 'S', 'credit', 'at')
  local S = st[1] or '0'
  local burst = math.max(1, rate)
  local credit = tonumber(st[2]) or 0
  local at = tonumber(st[3]) or now
  if now > at then
    credit = credit + rate * (now - at) / 1000000
    at = now
  end
  local k = math.floor(credit)
  if k >= 1 then
    local n = math.min(k, redis.call('ZCOUNT', KEYS[1], '(' .. S, '+inf'))
    if n >= 1 then
      local first = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. S, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
      local nth = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. S, '+inf', 'WITHSCORES', 'LIMIT', n - 1, 1)
      S = nth[2]
      credit = credit - n
      record_admissions(now, n, tonumber(first[2]), tonumber(nth[2]))
    end
    if n < k and credit > burst then credit = burst end
  end
  redis.call('HSET', KEYS[2], 'S', S, 'credit', tostring(credit), 'at', fmt(at))
  return S
end
local function place(score, S, rate)
  if tonumber(score) <= tonumber(S) then return {score, 0, tostring(rate)} end
  return {score, redis.call('ZCOUNT', KEYS[1], '(' .. S, score), tostring(rate)}
end
local function touch(ttl)
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('EXPIRE', KEYS[4], ttl)
end
`;

/** ARGV: now, studentId, staleUs, floorUs, defaultRate, keyTtlSeconds */
const ENTER = new RedisScript(`${PRELUDE}
local now = now_us()
local rate = current_rate(ARGV[5])
local sid = ARGV[2]
local score = redis.call('ZSCORE', KEYS[1], sid)
if (not score) or tonumber(score) < now - tonumber(ARGV[3]) then
  -- settle the time before this arrival first: credit earned while the room was empty is capped
  advance(now, rate)
  local s = now
  local last = tonumber(redis.call('HGET', KEYS[2], 'last') or '0')
  if s <= last then s = last + 1 end
  local floor = tonumber(ARGV[4])
  if s <= floor then s = floor + 1 end
  score = fmt(s)
  redis.call('HSET', KEYS[2], 'last', score)
  redis.call('ZADD', KEYS[1], score, sid)
end
local S = advance(now, rate)
touch(ARGV[6])
return place(score, S, rate)
`);

/** ARGV: now, studentId, arrival, admitted (1/0), defaultRate, keyTtlSeconds */
const RESTORE = new RedisScript(`${PRELUDE}
local now = now_us()
local rate = current_rate(ARGV[5])
local sid = ARGV[2]
advance(now, rate)
redis.call('ZADD', KEYS[1], 'LT', ARGV[3], sid)
local score = redis.call('ZSCORE', KEYS[1], sid)
local last = tonumber(redis.call('HGET', KEYS[2], 'last') or '0')
if tonumber(ARGV[3]) > last then redis.call('HSET', KEYS[2], 'last', ARGV[3]) end
if ARGV[4] == '1' and tonumber(ARGV[3]) > tonumber(redis.call('HGET', KEYS[2], 'S') or '0') then
  redis.call('HSET', KEYS[2], 'S', ARGV[3])
end
local S = advance(now, rate)
touch(ARGV[6])
return place(score, S, rate)
`);

/** ARGV: now, mode, rate, adaptive, updatedAt, defaultRate */
const WRITE_SETTINGS = new RedisScript(`${PRELUDE}
local now = now_us()
advance(now, current_rate(ARGV[6]))
redis.call('HSET', KEYS[3], 'mode', ARGV[2], 'rate', ARGV[3], 'adaptive', ARGV[4], 'updatedAt', ARGV[5])
return 1
`);

/** ARGV: now, vote, intervalUs, minRate, maxRate, factor, defaultRate, defaultAdaptive */
const ADJUST = new RedisScript(`${PRELUDE}
local now = now_us()
local h = redis.call('HMGET', KEYS[3], 'adaptive', 'adjustedAt', 'decreasedAt')
if (h[1] or ARGV[8]) ~= '1' then return false end
local guard = h[2]
if ARGV[2] == 'down' then guard = h[3] end
guard = tonumber(guard) or -1e18
if now - guard < tonumber(ARGV[3]) then return false end
local rate = current_rate(ARGV[7])
local nr = math.min(tonumber(ARGV[5]), math.max(tonumber(ARGV[4]), rate * tonumber(ARGV[6])))
nr = math.floor(nr * 1000 + 0.5) / 1000
-- a vote moves the rate one way only (a staff rate below the minimum is not raised by a 'down')
if ARGV[2] == 'down' then nr = math.min(rate, nr) else nr = math.max(rate, nr) end
if nr == rate then return false end
advance(now, rate)
redis.call('HSET', KEYS[3], 'rate', tostring(nr), 'adjustedAt', fmt(now))
if ARGV[2] == 'down' then redis.call('HSET', KEYS[3], 'decreasedAt', fmt(now)) end
return tostring(nr)
`);

const COUNTS = new RedisScript(`
local S = redis.call('HGET', KEYS[2], 'S') or '0'
return {redis.call('ZCOUNT', KEYS[1], '(' .. S, '+inf'), redis.call('ZCOUNT', KEYS[1], '-inf', S)}
`);

export interface RedisWaitingRoomOptions extends WaitingRoomOptions {
  redis: Redis;
  /** Key prefix; keep a {hash tag} in it for Redis Cluster. Default 'goorm:queue:{enrollment}:'. */
  prefix?: string;
  /** Close the client in close() (when the room created it). Default false. */
  ownsClient?: boolean;
}

/** The production waiting room: state in Redis, shared by every enrollment replica (README.md). */
export class RedisWaitingRoom extends BaseWaitingRoom {
  private readonly redis: Redis;
  private readonly keys: [string, string, string, string];
  private readonly injectedClock: boolean;
  private readonly ownsClient: boolean;
  readonly prefix: string;

  constructor(o: RedisWaitingRoomOptions) {
    super(o);
    this.redis = o.redis;
    this.prefix = o.prefix ?? 'goorm:queue:{enrollment}:';
    this.keys = [`${this.prefix}q`, `${this.prefix}state`, `${this.prefix}settings`, `${this.prefix}waits`];
    this.injectedClock = o.clock !== undefined;
    this.ownsClient = o.ownsClient ?? false;
  }

  protected coreNowUs(): number | undefined {
    return this.injectedClock ? this.clock() * 1000 : undefined;
  }

  private run(script: RedisScript, args: Array<string | number>): Promise<unknown> {
    return script.run(this.redis, this.keys, args);
  }

  private now(t: CoreTime): string {
    return t.nowUs === undefined ? '' : String(Math.round(t.nowUs));
  }

  /** Keys outlive a place so a poll still finds it, and vanish a while after the last activity. */
  private keyTtlSeconds(t: CoreTime): number {
    return Math.ceil((2 * t.staleUs) / 1_000_000);
  }

  private static toPlace(reply: unknown): CorePlace {
    const [arrival, position, rate] = reply as [string, number, string];
    return { arrival: Number(arrival), position: Number(position), rate: Number(rate) };
  }

  protected async enter(studentId: number, t: CoreTime): Promise<CorePlace> {
    return RedisWaitingRoom.toPlace(
      await this.run(ENTER, [this.now(t), studentId, Math.round(t.staleUs), Math.round(t.floorUs), t.defaultRate, this.keyTtlSeconds(t)]),
    );
  }

  protected async restore(studentId: number, arrival: number, admitted: boolean, t: CoreTime): Promise<CorePlace> {
    return RedisWaitingRoom.toPlace(
      await this.run(RESTORE, [this.now(t), studentId, arrival, admitted ? '1' : '0', t.defaultRate, this.keyTtlSeconds(t)]),
    );
  }

  protected async readSettings(): Promise<StoredSettings> {
    const h = await this.redis.hgetall(this.keys[2]);
    const s: StoredSettings = {};
    if (h.mode && (QUEUE_MODES as readonly string[]).includes(h.mode)) s.mode = h.mode as QueueMode;
    if (h.rate && Number(h.rate) > 0) s.ratePerSecond = Number(h.rate);
    if (h.adaptive === '1' || h.adaptive === '0') s.adaptive = h.adaptive === '1';
    if (h.updatedAt) s.updatedAt = h.updatedAt;
    return s;
  }

  protected async writeSettings(s: QueueSettingsInput, updatedAt: string, t: CoreTime): Promise<void> {
    await this.run(WRITE_SETTINGS, [this.now(t), s.mode, s.ratePerSecond, s.adaptive ? '1' : '0', updatedAt, t.defaultRate]);
  }

  protected async adjustRate(a: RateAdjustment, t: CoreTime): Promise<number | undefined> {
    const reply = await this.run(ADJUST, [
      this.now(t),
      a.vote,
      Math.round(a.intervalUs),
      a.minRate,
      a.maxRate,
      a.factor,
      t.defaultRate,
      t.defaultAdaptive ? '1' : '0',
    ]);
    return typeof reply === 'string' ? Number(reply) : undefined;
  }

  protected async counts(): Promise<{ waiting: number; admitted: number }> {
    const [waiting, admitted] = (await this.run(COUNTS, [])) as [number, number];
    return { waiting: Number(waiting), admitted: Number(admitted) };
  }

  protected async admissionSlots(sinceMs: number): Promise<AdmissionSlot[]> {
    // Newest first, one entry per second: no more than the seconds since `sinceMs` (+1) can qualify.
    const span = Math.min(ADMISSION_SLOTS, Math.max(1, Math.ceil((this.clock() - sinceMs) / 1000) + 1));
    const entries = await this.redis.lrange(this.keys[3], 0, span - 1);
    const slots: AdmissionSlot[] = [];
    for (const e of entries) {
      const [sec, n, wait] = e.split(':').map(Number) as [number, number, number];
      if (sec * 1000 >= sinceMs) slots.push({ atMs: sec * 1000, admitted: n, waitSumMs: wait });
    }
    return slots.reverse();
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
