import type { RequestHandler, Response } from 'express';
import type { ApiRouter, Knex, Logger } from '@goorm/common';
import type { WaitingRoom } from './queue.room.ts';
import { overviewSchema, queuePlaceSchema, settingsBody, settingsSchema, ticketParams } from './queue.schemas.ts';
import { changeSettings } from './queue.service.ts';

const tags = ['waiting room'];

function noStore(res: Response) {
  res.setHeader('Cache-Control', 'no-store');
}

export interface QueueRouteDeps {
  room: WaitingRoom;
  /** For the audit trail of settings changes. */
  db?: Knex;
  clock?: () => Date;
  logger?: Logger;
}

/** The waiting room (대기열), mounted under /api/enrollments. /queue/settings comes before /queue/:ticket. */
export function registerQueueRoutes(api: ApiRouter, deps: QueueRouteDeps): void {
  const { room } = deps;
  const clock = deps.clock ?? (() => new Date());

  api.post(
    '/queue',
    {
      summary: 'Join the waiting room (or get the place already held: one per student, whatever the tabs)',
      tags,
      access: 'student',
      responses: { 200: { description: 'Your place; an admission token once it is your turn', schema: queuePlaceSchema } },
    },
    async ({ user }, res) => {
      noStore(res);
      res.json(await room.join(user!.id));
    },
  );

  api.get(
    '/queue/settings',
    {
      summary: 'Waiting-room settings and live numbers (staff)',
      tags,
      access: 'staff',
      responses: { 200: { description: 'Settings, whether the room is active, waiting and admitted counts', schema: overviewSchema } },
    },
    async (_input, res) => {
      noStore(res);
      res.json(await room.overview());
    },
  );

  api.put(
    '/queue/settings',
    {
      summary: 'Switch the waiting room (auto / on / off) and set its admission rate (staff, audited)',
      tags,
      access: 'staff',
      body: settingsBody,
      responses: { 200: { description: 'The new settings', schema: settingsSchema } },
    },
    async ({ body, user }, res) => {
      res.json(await changeSettings({ room, db: deps.db, clock, logger: deps.logger }, body, user!.id));
    },
  );

  api.get(
    '/queue/:ticket',
    {
      summary: 'Poll a place in the waiting room (only its own student); 404 when forged or expired',
      tags,
      access: 'student',
      params: ticketParams,
      responses: { 200: { description: 'Your place; an admission token once it is your turn', schema: queuePlaceSchema } },
    },
    async ({ params, user }, res) => {
      noStore(res);
      res.json(await room.status(params.ticket, user!.id));
    },
  );
}

/**
 * Feeds the adaptive admission rate: mount in front of the enrollment router
 * (`app.use('/api/enrollments', observeEnrollLatency(room))`); every enroll or swap decision
 * (POST / and POST /swap) reports its duration and whether it avoided a 5xx.
 */
export function observeEnrollLatency(room: Pick<WaitingRoom, 'observe'>): RequestHandler {
  let inFlight = 0;
  return (req, res, next) => {
    if (req.method !== 'POST' || (req.path !== '/' && req.path !== '/swap')) return next();
    const started = performance.now();
    const busy = inFlight++;
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      inFlight--;
      room.observe(performance.now() - started, ok, busy);
    };
    res.on('finish', () => finish(res.statusCode < 500));
    res.on('close', () => finish(false)); // closed before an answer was sent
    next();
  };
}
