import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlatform } from '../src/app.js';

export const infraRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The context cdk.json commits, so tests synthesize exactly what `npm run synth -w infra` does. */
export function committedContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(infraRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
}

/** Builds and synthesizes the platform once into a temporary folder (cdk-nag runs during synth). */
export function synthPlatform(mutateContext: (ctx: Record<string, unknown>) => void = () => {}) {
  const context = structuredClone(committedContext());
  mutateContext(context);
  const outdir = mkdtempSync(join(tmpdir(), 'goorm-cdk-'));
  const built = buildPlatform({ outdir, context });
  const assembly = built.app.synth();
  return { ...built, assembly, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** `{ "AWS::EC2::Subnet": 9, … }` for one template, sorted by type. */
export function resourceCounts(template: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of Object.values(template.Resources ?? {})) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
