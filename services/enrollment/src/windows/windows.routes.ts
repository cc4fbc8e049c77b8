import { notFound, type ApiRouter, type Knex } from '@goorm/common';
import { enrollmentApi, type WindowBody, type WindowList } from '@goorm/contracts';
import { findWindow, listWindows, type WindowInput } from './windows.repository.ts';
import { createWindow, removeWindow, replaceWindow } from './windows.service.ts';

const { listWindows: list, getWindow, createWindow: create, replaceWindow: replace, deleteWindow } = enrollmentApi.endpoints;

function input(b: WindowBody): WindowInput {
  return { termId: b.termId, phase: b.phase, grades: b.grades, opensAt: b.opensAt, closesAt: b.closesAt };
}

/** Enrollment windows: everyone signed in reads (with the server's clock), staff write (audited). */
export function registerWindowRoutes(api: ApiRouter, deps: { db: Knex; clock: () => Date }): void {
  api.route(list, async ({ query }, res) => {
    const answer: WindowList = { items: await listWindows(deps.db, query.termId), serverTime: deps.clock().toISOString() };
    res.json(answer);
  });

  api.route(getWindow, async ({ params }, res) => {
    const w = await findWindow(deps.db, params.id);
    if (!w) throw notFound('Enrollment window', params.id);
    res.json(w);
  });

  api.route(create, async ({ body, user }, res) => {
    const w = await createWindow(deps.db, input(body), { staffId: user!.id, reason: body.reason, now: deps.clock() });
    res.status(201).location(`${api.prefix}/windows/${w.id}`).json(w);
  });

  api.route(replace, async ({ params, body, user }, res) => {
    res.json(await replaceWindow(deps.db, params.id, input(body), { staffId: user!.id, reason: body.reason, now: deps.clock() }));
  });

  api.route(deleteWindow, async ({ params, query, user }, res) => {
    await removeWindow(deps.db, params.id, { staffId: user!.id, reason: query.reason, now: deps.clock() });
    res.status(204).end();
  });
}
