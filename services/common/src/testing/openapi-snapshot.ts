import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Express } from 'express';
import request from 'supertest';

/**
 * The service's /openapi.json against the copy checked in beside it (`services/<name>/openapi.json`):
 * a change to what the service declares shows up as a diff in review, and fails here until the
 * snapshot is regenerated on purpose with `UPDATE_OPENAPI=1 npx vitest run --project <name> openapi`.
 */
export async function openApiAgainstSnapshot(app: Express, file: string): Promise<{ served: unknown; committed: unknown }> {
  const res = await request(app).get('/openapi.json');
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  const served = res.body as unknown;
  if (process.env.UPDATE_OPENAPI === '1') writeFileSync(file, `${JSON.stringify(served, null, 2)}\n`);
  const committed = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : undefined;
  return { served, committed };
}
