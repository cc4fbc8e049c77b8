import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

/**
 * Component and store specs (`src/**\/*.spec.ts`) run in jsdom against msw (the real client core over
 * HTTP); the end-to-end specs (`e2e/**\/*.e2e.test.ts`) declare `// @vitest-environment node` and drive
 * Debian's Chromium against the real backend.
 */
export default defineProject({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  test: {
    name: 'frontend-admin',
    environment: 'jsdom',
    include: ['src/**/*.spec.ts', 'e2e/**/*.e2e.test.ts'],
    setupFiles: ['./src/test-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    env: { TZ: 'UTC' },
  },
});
