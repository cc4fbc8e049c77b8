import { fileURLToPath } from 'node:url';
import { createTestAuth, openApiAgainstSnapshot, testLogger, testMetrics } from '@goorm/common/testing';
import { lecturesApi } from '@goorm/contracts';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';

const SNAPSHOT = fileURLToPath(new URL('../openapi.json', import.meta.url));

async function servedDocument() {
  const auth = await createTestAuth();
  const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  const app = createApp({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('lectures'), readiness: async () => {} });
  try {
    return await openApiAgainstSnapshot(app, SNAPSHOT);
  } finally {
    await db.destroy();
  }
}

type Doc = {
  paths: Record<string, Record<string, { parameters?: { name: string }[]; 'x-roles'?: string[]; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties?: object }> };
};

describe('GET /openapi.json', () => {
  it('matches the committed openapi.json (regenerate with UPDATE_OPENAPI=1 when the contract changes on purpose)', async () => {
    const { served, committed } = await servedDocument();

    expect(served).toEqual(committed);
    expect(Object.keys((served as Doc).paths).sort()).toEqual([
      '/api/lectures/lectures',
      '/api/lectures/lectures/{id}',
      '/api/lectures/majors',
      '/api/lectures/majors/{id}',
      '/api/lectures/professors',
      '/api/lectures/professors/{id}',
      '/api/lectures/sections',
      '/api/lectures/sections/export.csv',
      '/api/lectures/sections/import',
      '/api/lectures/sections/{id}',
      '/api/lectures/terms',
      '/api/lectures/terms/{id}',
    ]);
    const doc = served as Doc;
    expect(doc.paths['/api/lectures/sections']!.get!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['q', 'termId', 'majorId', 'generalEducation', 'category', 'credits', 'day', 'period', 'grade', 'professor', 'sort', 'page', 'size']),
    );
    expect(doc.paths['/api/lectures/sections']!.post!['x-roles']).toEqual(['staff']);
  });

  it('documents each refusal of an endpoint with its problem members', async () => {
    const { served } = await servedDocument();
    const doc = served as Doc;

    expect(lecturesApi.endpoints.createSection.errors).toContain('SCHEDULE_CONFLICT');
    expect(doc.paths['/api/lectures/sections']!.post!.responses['409']).toMatchObject({
      content: {
        'application/problem+json': {
          schema: { oneOf: [{ $ref: '#/components/schemas/Problem_DUPLICATE' }, { $ref: '#/components/schemas/Problem_SCHEDULE_CONFLICT' }] },
        },
      },
    });
    expect(Object.keys(doc.components.schemas.Problem_SCHEDULE_CONFLICT!.properties!)).toEqual(
      expect.arrayContaining(['code', 'detail', 'conflict', 'errors']),
    );
  });
});
