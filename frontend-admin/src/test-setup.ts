/** Shared setup: jest-dom matchers; for the component specs (jsdom) msw answers the API over HTTP, and cleanup between tests. */
import '@testing-library/jest-dom/vitest';
import { afterAll, afterEach, beforeAll } from 'vitest';

if (typeof document !== 'undefined') {
  const { cleanup } = await import('@testing-library/vue');
  const { server } = await import('./testing/server.ts');
  const { client } = await import('./api/client.ts');
  // Node's fetch needs absolute URLs: the specs' API is this page's origin, answered by msw.
  client.configure({ baseUrl: location.origin });
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    cleanup();
    server.resetHandlers();
    localStorage.clear();
    sessionStorage.clear();
  });
  afterAll(() => server.close());
}
