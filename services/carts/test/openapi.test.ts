import { fileURLToPath } from 'node:url';
import { createTestAuth, openApiAgainstSnapshot, testLogger, testMetrics } from '@goorm/common/testing';
import { cartsApi } from '@goorm/contracts';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';

describe('GET /openapi.json', () => {
  it('matches the committed openapi.json (regenerate with UPDATE_OPENAPI=1 when the contract changes on purpose)', async () => {
    const auth = await createTestAuth();
    const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    const app = createApp({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('carts'), readiness: async () => {} });

    const { served, committed } = await openApiAgainstSnapshot(app, fileURLToPath(new URL('../openapi.json', import.meta.url)));

    expect(served).toEqual(committed);
    expect(Object.keys((served as { paths: object }).paths)).toEqual(['/api/carts/me', '/api/carts/students/{studentId}', '/api/carts/me/items', '/api/carts/me/items/{sectionId}']);
    await db.destroy();
  });

  it('documents each refusal of an endpoint with its problem members', async () => {
    const auth = await createTestAuth();
    const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    const app = createApp({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('carts'), readiness: async () => {} });
    const { served } = await openApiAgainstSnapshot(app, fileURLToPath(new URL('../openapi.json', import.meta.url)));
    const doc = served as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, { properties?: object }> } };

    expect(cartsApi.endpoints.addItem.errors).toContain('CART_LIMIT');
    expect(doc.paths['/api/carts/me/items']!.post!.responses['409']).toMatchObject({
      content: { 'application/problem+json': { schema: { oneOf: [{ $ref: '#/components/schemas/Problem_DUPLICATE' }, { $ref: '#/components/schemas/Problem_CART_LIMIT' }] } } },
    });
    expect(Object.keys(doc.components.schemas.Problem_CART_LIMIT!.properties!)).toEqual(
      expect.arrayContaining(['code', 'detail', 'creditLimit', 'totalCredits', 'credits']),
    );
    await db.destroy();
  });
});
