import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

/**
 * Component specs (`src/**\/*.spec.ts`) run in jsdom; the end-to-end spec
 * (`e2e/**\/*.e2e.test.ts`) declares `// @vitest-environment node` at its top and drives
 * Debian's Chromium against the real backend.
 */
export default defineProject({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  test: {
    name: 'frontend-student',
    environment: 'jsdom',
    include: ['src/**/*.spec.ts', 'e2e/**/*.e2e.test.ts'],
    setupFiles: ['./src/test-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    env: { TZ: 'UTC' },
  },
});
