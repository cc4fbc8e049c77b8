/**
 * Sends a fuzz case as it is, with node:http (fetch would normalise the path, refuse some headers
 * and encode the body itself), and reads the answer with a deadline: a request that gets no
 * answer in time is a hang, reported as such.
 */
import http from 'node:http';
import type { WireRequest } from './fuzz.schema.ts';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class Hang extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'Hang';
  }
}

/**
 * One request to `baseUrl` (the gateway) on a connection of its own (a case that leaves a
 * connection in a bad state must not be blamed on the next case); at most `timeoutMs` for the
 * whole answer.
 */
export function send(baseUrl: string, req: WireRequest, timeoutMs = 10_000): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = req.body.length;
    const r = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => r.destroy(new Hang(timeoutMs)), timeoutMs);
    r.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    r.end(req.body);
  });
}
