import type { RequestHandler } from 'express';
import { Counter, type Registry } from 'prom-client';
import { overloaded } from './errors.ts';

export interface InFlightLimitOptions {
  /** Requests of this kind handled at once by this process; past it they are refused. 0 = no limit. */
  max: number;
  /** Which requests count (the others pass untouched). */
  match: (req: { method: string; path: string }) => boolean;
  /** Counts refused requests as `<name>_shed_total`. */
  registry?: Registry;
  name?: string;
}

/**
 * Load shedding: at most `max` matching requests in this process at once; the next one is
 * answered at once with 503 SERVICE_UNAVAILABLE and `Retry-After: 1` instead of queueing for a
 * database connection until the pool's acquire timeout. A request leaves the count when its
 * answer is sent or its connection closes, whichever comes first.
 */
export function inFlightLimit(o: InFlightLimitOptions): RequestHandler {
  if (o.max <= 0) return (_req, _res, next) => next();
  let inFlight = 0;
  const shed = o.registry
    ? new Counter({ name: `${o.name ?? 'http'}_shed_total`, help: 'Requests refused with 503 because too many were in flight in this process', registers: [o.registry] })
    : undefined;
  return (req, res, next) => {
    if (!o.match(req)) return next();
    if (inFlight >= o.max) {
      shed?.inc();
      return next(overloaded('Too many registrations in progress on this server; try again in a moment'));
    }
    inFlight++;
    let done = false;
    const leave = () => {
      if (done) return;
      done = true;
      inFlight--;
    };
    res.once('finish', leave);
    res.once('close', leave);
    next();
  };
}
