import { notFound, type ApiRouter, type Knex } from '@goorm/common';
import { findWindow, listWindows, type WindowInput } from './windows.repository.ts';
import { deleteWindowQuery, listWindowsQuery, windowBody, windowIdParams, windowListSchema, windowSchema, type WindowBody } from './windows.schemas.ts';
import { createWindow, removeWindow, replaceWindow } from './windows.service.ts';

const tags = ['windows'];

function input(b: WindowBody): WindowInput {
  return { termId: b.termId, phase: b.phase, grades: b.grades, opensAt: b.opensAt, closesAt: b.closesAt };
}

/** Enrollment windows: everyone signed in reads (with the server's clock), staff write (audited). */
export function registerWindowRoutes(api: ApiRouter, deps: { db: Knex; clock: () => Date }): void {
  api.get(
    '/windows',
    {
      summary: 'Enrollment windows (of one term if termId is given) and the server time',
      tags,
      access: 'authenticated',
      query: listWindowsQuery,
      responses: { 200: { description: 'Windows by opening time', schema: windowListSchema } },
    },
    async ({ query }, res) => {
      const items = await listWindows(deps.db, query.termId);
      res.json({ items, serverTime: deps.clock().toISOString() });
    },
  );

  api.get(
    '/windows/:id',
    {
      summary: 'One enrollment window',
      tags,
      access: 'authenticated',
      params: windowIdParams,
      responses: { 200: { description: 'The window', schema: windowSchema } },
    },
    async ({ params }, res) => {
      const w = await findWindow(deps.db, params.id);
      if (!w) throw notFound('Enrollment window', params.id);
      res.json(w);
    },
  );

  api.post(
    '/windows',
    {
      summary: 'Open a window for a phase and grades (overlaps for a shared grade refused: 409 CONFLICT)',
      tags,
      access: 'staff',
      body: windowBody,
      responses: { 201: { description: 'Created', schema: windowSchema } },
    },
    async ({ body, user }, res) => {
      const w = await createWindow(deps.db, input(body), { staffId: user!.id, reason: body.reason, now: deps.clock() });
      res.status(201).location(`${api.prefix}/windows/${w.id}`).json(w);
    },
  );

  api.put(
    '/windows/:id',
    {
      summary: 'Replace a window',
      tags,
      access: 'staff',
      params: windowIdParams,
      body: windowBody,
      responses: { 200: { description: 'Replaced', schema: windowSchema } },
    },
    async ({ params, body, user }, res) => {
      res.json(await replaceWindow(deps.db, params.id, input(body), { staffId: user!.id, reason: body.reason, now: deps.clock() }));
    },
  );

  api.delete(
    '/windows/:id',
    {
      summary: 'Delete a window',
      tags,
      access: 'staff',
      params: windowIdParams,
      query: deleteWindowQuery,
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ params, query, user }, res) => {
      await removeWindow(deps.db, params.id, { staffId: user!.id, reason: query.reason, now: deps.clock() });
      res.status(204).end();
    },
  );
}
