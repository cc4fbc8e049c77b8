import { existsSync } from 'node:fs';
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

// The deployment and operations folders (infra/, gitops/, jenkins/, monitoring/) are one project each,
// their tests under test/.
const platform = (name: string) => ({
  extends: true as const,
  test: { name, root: name, include: ['test/**/*.test.ts'] },
});
const platformFolders = ['infra', 'gitops', 'jenkins', 'monitoring'].filter((name) => existsSync(`${name}/test`));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
    projects: [
      ...['contracts', 'common', 'auth', 'lectures', 'carts', 'enrollment', 'gateway', 'ai-helper', 'demo-data'].map(service),
      'frontend-student',
      'frontend-admin',
      ...platformFolders.map(platform),
    ],
    passWithNoTests: false,
  },
});
