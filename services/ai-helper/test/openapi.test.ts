import { fileURLToPath } from 'node:url';
import { createTestAuth, openApiAgainstSnapshot, testLogger, testMetrics } from '@goorm/common/testing';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { ModelStore } from '../src/models.ts';

describe('GET /openapi.json', () => {
  it('matches the committed openapi.json (regenerate with UPDATE_OPENAPI=1 when the contract changes on purpose)', async () => {
    const auth = await createTestAuth();
    const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    const models = new ModelStore(fileURLToPath(new URL('../models', import.meta.url)), testLogger());
    const app = createApp({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('ai-helper'), readiness: async () => {}, models });

    const { served, committed } = await openApiAgainstSnapshot(app, fileURLToPath(new URL('../openapi.json', import.meta.url)));

    expect(served).toEqual(committed);
    expect(Object.keys((served as { paths: object }).paths)).toEqual(['/api/ai/recommendations', '/api/ai/forecast', '/api/ai/model']);
    await db.destroy();
  });
});
