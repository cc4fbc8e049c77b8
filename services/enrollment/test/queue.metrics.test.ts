/**
 * The waiting room's registration-day metrics on its registry: how many wait, who was admitted and
 * how (on joining or on a poll), how many polls that took, how long they waited, the rate's floor
 * and whether it is adaptive.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testMetrics } from '@goorm/common/testing';
import { InProcessWaitingRoom } from '../src/queue/queue.memory.ts';
import { QueueTokens } from '../src/queue/queue.tokens.ts';

const value = async (text: Promise<string>, series: string) => {
  const line = (await text).split('\n').find((l) => l.startsWith(`${series} `) || l.startsWith(`${series}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('waiting room metrics', () => {
  it('counts the queue, admissions by how they happened, the polls and the wait, with the floor and the adaptive flag', async () => {
    let now = Date.UTC(2026, 1, 20, 9);
    const metrics = testMetrics('enrollment');
    const room = new InProcessWaitingRoom({
      registry: metrics.registry,
      tokens: new QueueTokens(randomBytes(32), 120),
      defaults: { mode: 'on', ratePerSecond: 1, adaptive: false },
      windows: async () => [],
      clock: () => now,
      settingsCacheMs: 0,
      adaptive: { minRate: 5 },
    });
    const m = () => metrics.registry.metrics();

    const places = [];
    for (const id of [1, 2, 3, 4]) places.push(await room.join(id));
    const waitingAtJoin = places.filter((p) => !p.admitted).length;
    expect(waitingAtJoin).toBeGreaterThan(0);
    expect(await value(m(), 'waiting_room_length{service="enrollment"}')).toBe(waitingAtJoin);
    expect(await value(m(), 'waiting_room_admissions_total{via="join",service="enrollment"}')).toBe(4 - waitingAtJoin);
    expect(await value(m(), 'waiting_room_admission_rate_min{service="enrollment"}')).toBe(5);
    expect(await value(m(), 'waiting_room_adaptive{service="enrollment"}')).toBe(0);
    expect(await value(m(), 'waiting_room_polls_total{service="enrollment"}')).toBe(0); // joins are not polls

    // ten seconds later every waiting student's poll admits them, after a measured wait
    now += 10_000;
    for (const [i, p] of places.entries()) if (!p.admitted) expect((await room.status(p.ticket, i + 1)).admitted).toBe(true);
    expect(await value(m(), 'waiting_room_length{service="enrollment"}')).toBe(0);
    expect(await value(m(), 'waiting_room_admissions_total{via="poll",service="enrollment"}')).toBe(waitingAtJoin);
    expect(await value(m(), 'waiting_room_admission_wait_seconds_count{service="enrollment"}')).toBe(4);
    expect(await value(m(), 'waiting_room_admission_wait_seconds_bucket{le="10",service="enrollment"}')).toBe(4);
    expect(await value(m(), 'waiting_room_admission_wait_seconds_bucket{le="5",service="enrollment"}')).toBe(4 - waitingAtJoin);
    // every poll is counted (operators divide by admissions: polls per admitted student)
    expect(await value(m(), 'waiting_room_polls_total{service="enrollment"}')).toBe(waitingAtJoin);

    await room.updateSettings({ mode: 'on', ratePerSecond: 50, adaptive: true });
    expect(await value(m(), 'waiting_room_adaptive{service="enrollment"}')).toBe(1);
    expect(await value(m(), 'waiting_room_admission_rate{service="enrollment"}')).toBe(50);
  });
});
