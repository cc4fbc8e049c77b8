import type { RequestHandler, Response } from 'express';
import { notFound, type ApiRouter, type Knex, type Logger } from '@goorm/common';
import { enrollmentApi } from '@goorm/contracts';
import type { WaitingRoom } from './queue.room.ts';
import { changeSettings } from './queue.service.ts';

const { joinQueue, queueSettings, updateQueueSettings, queueStatus } = enrollmentApi.endpoints;

function noStore(res: Response) {
  res.setHeader('Cache-Control', 'no-store');
}

export interface QueueRouteDeps {
  /** Without a room (a deployment or test without one) the /queue routes answer 404 NOT_FOUND. */
  room: WaitingRoom | undefined;
  /** For the audit trail of settings changes. */
  db?: Knex;
  clock?: () => Date;
  logger?: Logger;
}

/** The waiting room (대기열), mounted under /api/enrollments. /queue/settings comes before /queue/:ticket. */
export function registerQueueRoutes(api: ApiRouter, deps: QueueRouteDeps): void {
  const clock = deps.clock ?? (() => new Date());
  const roomOf = (): WaitingRoom => {
    if (!deps.room) throw notFound('Waiting room', 'on this server');
    return deps.room;
  };

  api.route(joinQueue, async ({ user }, res) => {
    noStore(res);
    res.json(await roomOf().join(user!.id));
  });

  api.route(queueSettings, async (_input, res) => {
    noStore(res);
    res.json(await roomOf().overview());
  });

  api.route(updateQueueSettings, async ({ body, user }, res) => {
    res.json(await changeSettings({ room: roomOf(), db: deps.db, clock, logger: deps.logger }, body, user!.id));
  });

  api.route(queueStatus, async ({ params, user }, res) => {
    noStore(res);
    res.json(await roomOf().status(params.ticket, user!.id));
  });
}

/**
 * Feeds the adaptive admission rate: mount one instance in front of the enroll and swap routes
 * (app.ts); every request through it reports its duration, whether it avoided a 5xx and how many
 * were in flight through it when it started.
 */
export function observeEnrollLatency(room: Pick<WaitingRoom, 'observe'>): RequestHandler {
  let inFlight = 0;
  return (_req, res, next) => {
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
