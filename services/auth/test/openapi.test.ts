import { fileURLToPath } from 'node:url';
import { createTestAuth, openApiAgainstSnapshot, testLogger, testMetrics } from '@goorm/common/testing';
import { authApi } from '@goorm/contracts';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';

const SNAPSHOT = fileURLToPath(new URL('../openapi.json', import.meta.url));

async function servedDocument() {
  const auth = await createTestAuth();
  const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  const app = createApp({ db, verifier: auth.verifier, signer: auth.signer, logger: testLogger(), metrics: testMetrics('auth'), readiness: async () => {} });
  try {
    return await openApiAgainstSnapshot(app, SNAPSHOT);
  } finally {
    await db.destroy();
  }
}

type Doc = {
  paths: Record<string, Record<string, { security?: unknown[]; requestBody?: { content: Record<string, { schema: { required?: string[] } }> }; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties?: object }> };
};

describe('GET /openapi.json', () => {
  it('matches the committed openapi.json (regenerate with UPDATE_OPENAPI=1 when the contract changes on purpose)', async () => {
    const { served, committed } = await servedDocument();

    expect(served).toEqual(committed);
    const doc = served as Doc;
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/auth/login',
      '/api/auth/me',
      '/api/auth/staff',
      '/api/auth/staff/{id}',
      '/api/auth/students',
      '/api/auth/students/{id}',
    ]);
    expect(doc.paths['/api/auth/login']!.post!.security).toEqual([]);
    const create = doc.paths['/api/auth/students']!.post!.requestBody!.content['application/json']!.schema;
    expect(create.required).toEqual(expect.arrayContaining(['studentNo', 'name', 'majorId', 'grade', 'password']));
  });

  it('documents each refusal of an endpoint with its problem members', async () => {
    const { served } = await servedDocument();
    const doc = served as Doc;

    expect(authApi.endpoints.login.errors).toContain('RATE_LIMITED');
    expect(doc.paths['/api/auth/login']!.post!.responses['429']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem_RATE_LIMITED' } } },
    });
    expect(Object.keys(doc.components.schemas.Problem_RATE_LIMITED!.properties!)).toEqual(
      expect.arrayContaining(['code', 'detail', 'retryAfterSeconds']),
    );
    expect(doc.paths['/api/auth/students/{id}']!.delete!.responses['409']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem_IN_USE' } } },
    });
  });
});
