/**
 * The API as the component specs meet it: msw answers real HTTP requests that the real client core
 * sends (`http://localhost/api/...`). Each spec adds its handlers with `server.use(...)`, answering with
 * values typed by the contract (`satisfies Stats`), so a contract change breaks the spec's compile.
 */
import { setupServer } from 'msw/node';

export const server = setupServer();

/** A problem+json answer of the API. */
export function problem(status: number, code: string, members: Record<string, unknown> = {}) {
  return new Response(JSON.stringify({ type: 'about:blank', title: code, status, code, ...members }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}
