/**
 * Shared setup: jest-dom matchers; for the component specs (jsdom) also the msw server that answers
 * the app's client over HTTP (`src/testing/server.ts`), and cleanup between tests. The end-to-end
 * files (node) talk to the real backend: no msw there.
 */
import '@testing-library/jest-dom/vitest';
import { afterAll, afterEach, beforeAll } from 'vitest';

if (typeof document !== 'undefined') {
  const { cleanup } = await import('@testing-library/vue');
  const { server } = await import('./testing/server.ts');
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    cleanup();
    server.resetHandlers();
    localStorage.clear();
    sessionStorage.clear();
  });
  afterAll(() => server.close());
}
