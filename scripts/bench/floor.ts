/**
 * The floor under a request on this machine: what the parts every enrollment request is made of
 * cost in CPU when they do nothing else. Each part runs in a child process of its own and reports
 * its own CPU (process.cpuUsage) per operation:
 *
 * - `http`: node:http reading a small JSON body and answering one (POST, keep-alive client in the
 *   parent, 50 in flight);
 * - `express`: the same from an Express 5 app with `express.json()` and one route;
 * - `knex`: one `select 1` round trip to MariaDB through knex (pool of 10, 10 in flight);
 * - `mysql2`: the same through a mysql2 connection pool directly;
 * - `redis`: one ioredis round trip (`PING`, 10 in flight, auto-pipelining as the services run it).
 *
 *   node --import tsx scripts/bench/floor.ts [--n 20000] [--mysql-url mysql://root@127.0.0.1:3306/test] [--redis-url redis://127.0.0.1:6379]
 *
 * docs/benchmarks.md ("What is left") adds these up for an enroll and compares them with what the
 * service spends.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { HttpClient } from './client.ts';

type Part = 'http' | 'express' | 'knex' | 'mysql2' | 'redis';
const PARTS: Part[] = ['http', 'express', 'knex', 'mysql2', 'redis'];
const BODY = JSON.stringify({ id: 123456, sectionId: 4242, status: 'ENROLLED', enrolledAt: '2026-12-03T10:00:00.000Z' });

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Runs `op` n times with `inFlight` at once; CPU µs of this process per op. */
async function measure(n: number, inFlight: number, op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 500; i++) await op(); // warm-up: JIT, connections
  const before = cpuUs();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < n) await op();
    }),
  );
  return (cpuUs() - before) / n;
}

async function child(part: Part, o: { n: number; mysqlUrl: string; redisUrl: string }): Promise<void> {
  const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
  if (part === 'http' || part === 'express') {
    let server;
    if (part === 'http') {
      server = createServer((req, res) => {
        // The same work as the Express route: read and parse the JSON body, answer JSON.
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const body = JSON.stringify(JSON.parse(BODY));
          res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        });
      });
    } else {
      const { default: express } = await import('express');
      const app = express();
      app.use(express.json());
      app.post('/api/enrollments', (_req, res) => {
        res.status(201).json(JSON.parse(BODY));
      });
      server = createServer(app);
    }
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.on('message', (m: { cpu?: boolean; exit?: boolean }) => {
      if (m.cpu) void send({ cpuUs: cpuUs() });
      if (m.exit) process.exit(0);
    });
    await send({ port: (server.address() as AddressInfo).port });
    return;
  }
  let perOp: number;
  if (part === 'knex') {
    const { createDb } = await import('@goorm/common');
    const db = createDb(o.mysqlUrl, { poolMax: 10 });
    perOp = await measure(o.n, 10, () => db.raw('select 1'));
    await db.destroy();
  } else if (part === 'mysql2') {
    const mysql = await import('mysql2/promise');
    const pool = mysql.createPool({ uri: o.mysqlUrl, connectionLimit: 10 });
    perOp = await measure(o.n, 10, () => pool.query('select 1'));
    await pool.end();
  } else {
    const { Redis } = await import('ioredis');
    const redis = new Redis(o.redisUrl, { enableAutoPipelining: true });
    perOp = await measure(o.n, 10, () => redis.ping());
    redis.disconnect();
  }
  await send({ perOpUs: perOp });
  process.exit(0);
}

async function parent(o: { n: number; mysqlUrl: string; redisUrl: string }): Promise<void> {
  const results: Record<string, number> = {};
  for (const part of PARTS) {
    const c = fork(new URL(import.meta.url).pathname, ['--child', part, '--n', String(o.n), '--mysql-url', o.mysqlUrl, '--redis-url', o.redisUrl], {
      execArgv: ['--import', 'tsx'],
    });
    const message = <T>() => new Promise<T>((resolve, reject) => {
      c.once('message', (m) => resolve(m as T));
      c.once('exit', (code) => reject(new Error(`${part} exited (${code})`)));
    });
    if (part === 'http' || part === 'express') {
      const ready = await message<{ port: number }>();
      const http = new HttpClient(`http://127.0.0.1:${ready.port}`, 50);
      const call = () =>
        http.call('POST', '/api/enrollments', { authorization: 'Bearer x' }, { sectionId: 4242 });
      for (let i = 0; i < 500; i++) await call();
      const cpuNow = async () => {
        const m = message<{ cpuUs: number }>();
        c.send({ cpu: true });
        return (await m).cpuUs;
      };
      const before = await cpuNow();
      let next = 0;
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (next++ < o.n) await call();
        }),
      );
      results[part] = ((await cpuNow()) - before) / o.n;
      await http.close();
      c.send({ exit: true });
    } else {
      results[part] = (await message<{ perOpUs: number }>()).perOpUs;
    }
    process.stdout.write(`${part.padEnd(8)} ${(results[part]! / 1000).toFixed(3)} ms CPU per ${part === 'http' || part === 'express' ? 'request (server side)' : 'round trip (client side)'}\n`);
  }
}

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    n: { type: 'string', default: '20000' },
    'mysql-url': { type: 'string', default: 'mysql://root@127.0.0.1:3306/test' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const opts = { n: Number(values.n), mysqlUrl: values['mysql-url']!, redisUrl: values['redis-url']! };
if (values.child) await child(values.child as Part, opts);
else await parent(opts);
