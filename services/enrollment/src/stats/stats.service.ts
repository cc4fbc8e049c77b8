import { notFound, type Knex } from '@goorm/common';
import { attemptsPerMinute, findTerm, sectionStats, termTotals } from './stats.repository.ts';
import type { Stats, StatsQuery } from '@goorm/contracts';

const MINUTE = 60_000;

/**
 * Live numbers for staff: term totals, a ranked page of sections, and attempts per minute by
 * outcome. Five queries whatever the page size or the number of events.
 */
export async function getStats(db: Knex, q: StatsQuery, now: Date): Promise<Stats> {
  const term = await findTerm(db, q.termId);
  if (!term) throw q.termId === undefined ? notFound('Current term') : notFound('Term', q.termId);

  // The last `minutes` whole minutes plus the current, partial one.
  const until = new Date(now.getTime() + 1);
  const firstMinute = Math.floor(now.getTime() / MINUTE) * MINUTE - (q.minutes - 1) * MINUTE;
  const since = new Date(firstMinute);

  const totals = await termTotals(db, term.id);
  const sections = await sectionStats(db, { termId: term.id, sectionId: q.sectionId, sort: q.sort, page: q.page, size: q.size });
  if (q.sectionId !== undefined && sections.total === 0) throw notFound(`Section ${q.sectionId} in term`, term.code);
  const attempts = await attemptsPerMinute(db, { termId: term.id, sectionId: q.sectionId, since, until });

  const byOutcome: Record<string, number> = {};
  const buckets = new Map<number, Record<string, number>>();
  for (const a of attempts) {
    byOutcome[a.outcome] = (byOutcome[a.outcome] ?? 0) + a.count;
    const b = buckets.get(a.minuteMs) ?? {};
    b[a.outcome] = (b[a.outcome] ?? 0) + a.count;
    buckets.set(a.minuteMs, b);
  }
  const perMinute: Stats['attempts']['perMinute'] = [];
  for (let m = firstMinute; m <= now.getTime(); m += MINUTE) {
    const outcomes = buckets.get(m) ?? {};
    perMinute.push({ minute: new Date(m).toISOString(), total: Object.values(outcomes).reduce((s, n) => s + n, 0), outcomes });
  }

  return {
    term,
    generatedAt: now.toISOString(),
    totals: { ...totals, fillRatio: totals.capacity > 0 ? Math.round((totals.enrolled / totals.capacity) * 10_000) / 10_000 : 0 },
    sections: { ...sections, page: q.page, size: q.size, sort: q.sort },
    attempts: { minutes: q.minutes, since: since.toISOString(), until: now.toISOString(), byOutcome, perMinute },
  };
}
