import { defineConfig } from 'vitest/config';

const service = (name: string) => ({
  extends: true as const,
  test: {
    name,
    root: `services/${name}`,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // every answer a test receives is checked against the contract's declared schema
    setupFiles: ['../common/src/testing/setup.ts'],
  },
});

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
    projects: [...['contracts', 'common', 'auth', 'lectures', 'carts', 'enrollment', 'gateway', 'demo-data'].map(service), 'frontend-student', 'frontend-admin'],
    passWithNoTests: false,
  },
});
