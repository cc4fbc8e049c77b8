/**
 * The load client: undici Pools (keep-alive connections, pipelining 1), one per origin. Every
 * call answers with the status, the parsed JSON body and its latency, or a transport error (no
 * HTTP answer: refused, reset, timed out), never throws.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export type CallResult =
  | { ok: true; status: number; body: Record<string, unknown> | undefined; text: string; headers: Record<string, string | string[] | undefined>; ms: number }
  | { ok: false; error: string; ms: number };

export class HttpClient {
  private readonly pool: Pool;

  constructor(
    readonly origin: string,
    connections: number,
    timeoutMs = 120_000,
  ) {
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 120_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connectTimeout: 10_000,
    });
  }

  async call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, headers: Record<string, string>, body?: unknown): Promise<CallResult> {
    const started = performance.now();
    try {
      const res = await this.pool.request({
        method,
        path,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.body.text();
      const ms = performance.now() - started;
      let parsed: Record<string, unknown> | undefined;
      if (text.length > 0 && text.charCodeAt(0) === 123 /* { */) {
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          parsed = undefined;
        }
      }
      return { ok: true, status: res.statusCode, body: parsed, text, headers: res.headers, ms };
    } catch (err) {
      const e = err as { code?: string; name?: string; message?: string };
      return { ok: false, error: e.code ?? e.name ?? String(e.message), ms: performance.now() - started };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function retryAfterMs(headers: Record<string, string | string[] | undefined>, fallbackMs = 1_000): number {
  const v = headers['retry-after'];
  const s = Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(s) && s >= 0 ? Math.max(100, s * 1000) : fallbackMs;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
