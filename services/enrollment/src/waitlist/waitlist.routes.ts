import type { ApiRouter } from '@goorm/common';
import { enrollmentApi } from '@goorm/contracts';
import type { AutoEnrollService } from '../autoenroll/autoenroll.service.ts';
import type { WaitlistService } from './waitlist.service.ts';

const e = enrollmentApi.endpoints;

/** Waitlists, notices and cart auto-enrollment. Thin: parse, call one service function, answer. */
export function registerWaitlistRoutes(api: ApiRouter, deps: { waitlist: WaitlistService; autoEnroll: AutoEnrollService }): void {
  const { waitlist, autoEnroll } = deps;

  api.route(e.joinWaitlist, async ({ body, user }, res) => {
    const { status, body: entry } = await waitlist.join(user!, body.sectionId);
    res.status(status).json(entry);
  });
  api.route(e.leaveWaitlist, async ({ params, user }, res) => {
    await waitlist.leave(user!, params.sectionId);
    res.status(204).end();
  });
  api.route(e.myWaitlists, async ({ user }, res) => {
    res.json(await waitlist.mine(user!.id));
  });
  api.route(e.waitlistSettings, async (_req, res) => {
    res.json(await waitlist.getSettings());
  });
  api.route(e.updateWaitlistSettings, async ({ body, user }, res) => {
    res.json(await waitlist.updateSettings(user!, body));
  });
  api.route(e.waitlistOverview, async ({ query }, res) => {
    res.json(await waitlist.getOverview(query.termId, query.top));
  });
  api.route(e.sectionWaitlist, async ({ params }, res) => {
    res.json(await waitlist.sectionList(params.id));
  });
  api.route(e.moveWaitlistEntry, async ({ params, body, user }, res) => {
    res.json(await waitlist.move(user!, params.id, params.studentId, body.position, body.reason));
  });
  api.route(e.removeWaitlistEntry, async ({ params, query, user }, res) => {
    await waitlist.remove(user!, params.id, params.studentId, query.reason);
    res.status(204).end();
  });
  api.route(e.notices, async ({ query, user }, res) => {
    res.json(await waitlist.notices(user!.id, query));
  });
  api.route(e.readNotices, async ({ body, user }, res) => {
    await waitlist.readNotices(user!.id, body.upToId);
    res.status(204).end();
  });

  api.route(e.autoEnroll, async ({ body, user }, res) => {
    res.status(201).json(await autoEnroll.request(user!, body));
  });
  api.route(e.autoEnrollRuns, async (_req, res) => {
    res.json({ items: await autoEnroll.list() });
  });
  api.route(e.autoEnrollRun, async ({ params }, res) => {
    res.json(await autoEnroll.get(params.id));
  });
}
