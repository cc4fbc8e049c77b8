/**
 * `npm run synth -w infra`: synthesizes every stack into infra/cdk.out with the context of
 * infra/cdk.json, offline (no lookup, no credentials). cdk-nag runs as a validation plugin: a
 * finding fails the synth. Also the `app` command of cdk.json, so `cdk diff/deploy` use the same code.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlatform } from '../src/app.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
const started = Date.now();
// When the CDK CLI runs us it passes its own outdir and context in CDK_OUTDIR / CDK_CONTEXT_JSON; App reads those.
const { app } = buildPlatform({
  outdir: process.env.CDK_OUTDIR ?? join(root, 'cdk.out'),
  context: process.env.CDK_CONTEXT_JSON ? undefined : cdkJson.context,
});
const assembly = app.synth();
const resources = assembly.stacks.map((s) => [s.stackName, Object.keys((s.template as { Resources?: object }).Resources ?? {}).length] as const);
process.stdout.write(
  `synthesized ${assembly.stacks.length} stacks, ${resources.reduce((a, [, n]) => a + n, 0)} resources into ${assembly.directory} in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
    resources.map(([name, n]) => `  ${name}: ${n}\n`).join(''),
);
