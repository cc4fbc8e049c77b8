import { endpoint, serviceContract } from '@goorm/contracts';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiRouter, AppError, createServiceApp } from '../src/index.ts';
import { checkResponsesAgainstContract, createTestAuth, testLogger, testMetrics, type ContractCheck } from '../src/testing/index.ts';

const driftApi = serviceContract('/api/drift', {
  exact: endpoint({ method: 'get', path: '/exact', summary: 's', tags: [], access: 'public', responses: { 200: { description: 'd', schema: z.object({ a: z.number(), nested: z.array(z.object({ b: z.string() })) }) } } }),
  extra: endpoint({ method: 'get', path: '/extra', summary: 's', tags: [], access: 'public', responses: { 200: { description: 'd', schema: z.object({ a: z.number(), nested: z.array(z.object({ b: z.string() })) }) } } }),
  wrongType: endpoint({ method: 'get', path: '/wrong-type', summary: 's', tags: [], access: 'public', responses: { 200: { description: 'd', schema: z.object({ a: z.number() }) } } }),
  undeclaredStatus: endpoint({ method: 'post', path: '/status', summary: 's', tags: [], access: 'public', responses: { 201: { description: 'd', schema: z.object({ a: z.number() }) } } }),
  badProblem: endpoint({ method: 'get', path: '/problem', summary: 's', tags: [], access: 'public', responses: {} }),
  missingMember: endpoint({ method: 'get', path: '/problem-missing', summary: 's', tags: [], access: 'public', responses: {} }),
});

async function buildApp() {
  const auth = await createTestAuth();
  const api = new ApiRouter(auth.verifier, driftApi);
  api.route(driftApi.endpoints.exact, (_i, res) => void res.json({ a: 1, nested: [{ b: 'x' }] }));
  api.route(driftApi.endpoints.extra, (_i, res) => void res.json({ a: 1, nested: [{ b: 'x', c: 2 }], d: true }));
  api.route(driftApi.endpoints.wrongType, (_i, res) => void res.json({ a: '1' }));
  api.route(driftApi.endpoints.undeclaredStatus, (_i, res) => void res.status(200).json({ a: 1 }));
  api.route(driftApi.endpoints.badProblem, () => {
    // a member CREDIT_LIMIT does not declare
    throw new AppError('CREDIT_LIMIT', { extra: { credits: { current: 18, adding: 3, max: 19 }, sectionId: 3 } as never });
  });
  api.route(driftApi.endpoints.missingMember, () => {
    // CREDIT_LIMIT without its declared `credits`
    throw new AppError('CREDIT_LIMIT', { extra: {} as never });
  });
  return createServiceApp({ name: 'drift', logger: testLogger(), metrics: testMetrics('drift'), readiness: async () => {}, routers: [api] });
}

describe('the contract check of test runs (checkResponsesAgainstContract)', () => {
  let check: ContractCheck;
  beforeEach(() => {
    check = checkResponsesAgainstContract();
  });
  afterEach(() => check.stop());

  it('passes an answer that is exactly what the route declares', async () => {
    const app = await buildApp();
    expect((await request(app).get('/api/drift/exact')).status).toBe(200);
    expect(check.take()).toEqual([]);
  });

  it('reports every member the schema lacks, at any depth', async () => {
    const app = await buildApp();
    await request(app).get('/api/drift/extra');
    expect(check.take().map((v) => v.message)).toEqual(['$.nested[0].c: not declared in the contract', '$.d: not declared in the contract']);
  });

  it('reports a member of the wrong type and a status the route does not declare', async () => {
    const app = await buildApp();
    await request(app).get('/api/drift/wrong-type');
    await request(app).post('/api/drift/status');
    expect(check.take()).toEqual([
      { route: 'GET /api/drift/wrong-type', status: 200, message: expect.stringContaining('$.a:') },
      { route: 'POST /api/drift/status', status: 200, message: 'status 200 is not declared' },
    ]);
  });

  it("reports a problem whose members are not its code's declared extension", async () => {
    const app = await buildApp();
    expect((await request(app).get('/api/drift/problem')).status).toBe(409);
    expect(check.take().map((v) => v.message)).toEqual(['CREDIT_LIMIT $.sectionId: not declared in the contract']);
    expect((await request(app).get('/api/drift/problem-missing')).status).toBe(409);
    expect(check.take().map((v) => v.message)).toEqual([expect.stringMatching(/^CREDIT_LIMIT \$\.credits: /)]);
  });

  it('refuses to build an app whose router leaves a contract endpoint unmounted', async () => {
    const auth = await createTestAuth();
    const api = new ApiRouter(auth.verifier, driftApi);
    api.route(driftApi.endpoints.exact, (_i, res) => void res.json({ a: 1, nested: [] }));
    expect(() => createServiceApp({ name: 'drift', logger: testLogger(), metrics: testMetrics('drift'), readiness: async () => {}, routers: [api] })).toThrow(
      /not mounted: extra, wrongType, undeclaredStatus, badProblem, missingMember/,
    );
  });
});
