import { fileURLToPath } from 'node:url';
import { createTestAuth, openApiAgainstSnapshot, testLogger, testMetrics } from '@goorm/common/testing';
import { enrollmentApi } from '@goorm/contracts';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';

const SNAPSHOT = fileURLToPath(new URL('../openapi.json', import.meta.url));

/** The app as server.ts builds it, minus the database (the document needs none). */
async function served() {
  const auth = await createTestAuth();
  const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  const app = createApp({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('enrollment'), readiness: async () => {} });
  try {
    return await openApiAgainstSnapshot(app, SNAPSHOT);
  } finally {
    await db.destroy();
  }
}

interface Doc {
  paths: Record<string, Record<string, { 'x-error-codes'?: string[]; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

describe('GET /openapi.json', () => {
  it('matches the committed openapi.json (regenerate with UPDATE_OPENAPI=1 when the contract changes on purpose)', async () => {
    const { served: doc, committed } = await served();

    expect(doc).toEqual(committed);
    expect(Object.keys((doc as Doc).paths).sort()).toEqual([
      '/api/enrollments',
      '/api/enrollments/audit',
      '/api/enrollments/auto-enroll',
      '/api/enrollments/auto-enroll/{id}',
      '/api/enrollments/me',
      '/api/enrollments/notices/me',
      '/api/enrollments/notices/me/read',
      '/api/enrollments/queue',
      '/api/enrollments/queue/settings',
      '/api/enrollments/queue/{ticket}',
      '/api/enrollments/sections/{id}/roster',
      '/api/enrollments/sections/{id}/waitlist',
      '/api/enrollments/sections/{id}/waitlist/{studentId}',
      '/api/enrollments/stats',
      '/api/enrollments/stats/live',
      '/api/enrollments/students/{studentId}',
      '/api/enrollments/swap',
      '/api/enrollments/waitlist',
      '/api/enrollments/waitlist/me',
      '/api/enrollments/waitlist/settings',
      '/api/enrollments/waitlist/{sectionId}',
      '/api/enrollments/waitlists',
      '/api/enrollments/windows',
      '/api/enrollments/windows/{id}',
      '/api/enrollments/{sectionId}',
    ]);
  });

  it('documents each refusal of an endpoint with its problem members: enroll 409 lists TIME_CONFLICT with its conflict', async () => {
    const doc = (await served()).served as Doc;
    const enroll = doc.paths['/api/enrollments']!.post!;

    expect(enrollmentApi.endpoints.enroll.errors).toContain('TIME_CONFLICT');
    expect(enroll['x-error-codes']).toEqual(expect.arrayContaining(['TIME_CONFLICT', 'SECTION_FULL', 'QUEUE_REQUIRED', 'NOT_ELIGIBLE']));
    expect(enroll.responses['409']).toMatchObject({
      content: {
        'application/problem+json': {
          schema: {
            oneOf: expect.arrayContaining([
              { $ref: '#/components/schemas/Problem_TIME_CONFLICT' },
              { $ref: '#/components/schemas/Problem_ALREADY_ENROLLED' },
              { $ref: '#/components/schemas/Problem_CREDIT_LIMIT' },
              { $ref: '#/components/schemas/Problem_SECTION_FULL' },
            ]),
          },
        },
      },
    });
    expect(enroll.responses['428']).toMatchObject({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem_QUEUE_REQUIRED' } } } });
    const timeConflict = doc.components.schemas.Problem_TIME_CONFLICT!.properties!;
    expect(Object.keys(timeConflict)).toEqual(expect.arrayContaining(['code', 'detail', 'conflict']));
    expect(Object.keys((timeConflict.conflict as { properties: object }).properties)).toEqual(
      expect.arrayContaining(['sectionId', 'lectureCode', 'sectionNo', 'day', 'startPeriod', 'endPeriod']),
    );
    expect(Object.keys(doc.components.schemas.Problem_NOT_ELIGIBLE!.properties!)).toContain('reason');
  });
});
