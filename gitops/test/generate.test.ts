/**
 * The committed YAML is what gitops/generate.ts writes (edit the tables, run it, commit both), and
 * a Jenkins release commit (jenkins/scripts/bump-image-tags.ts) keeps it so: it changes a tag and
 * nothing else, in the very format the generator writes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bump, readImageTag, setImageTag } from '../../jenkins/scripts/bump-image-tags.ts';
import { APPS, ENVS, GENERATED_DIRS, GITOPS, PLACEHOLDER_TAG, generate, listFiles } from '../generate.ts';

const files = generate();
const overlays = APPS.flatMap((a) => ENVS.map((env) => ({ app: a.name, env, file: `apps/${a.name}/overlays/${env}/kustomization.yaml` })));

describe('gitops/generate.ts', () => {
  it('the committed files are its output (run `npx tsx gitops/generate.ts` after editing it)', () => {
    const differ = Object.entries(files).filter(([file, text]) => {
      try {
        return readFileSync(path.join(GITOPS, file), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    expect(differ.map(([f]) => f)).toEqual([]);
  });

  it('no file in the generated folders that it does not write', () => {
    const stale = GENERATED_DIRS.flatMap((d) => listFiles(path.join(GITOPS, d))).filter((f) => !(f in files));
    expect(stale).toEqual([]);
  });

  it('keeps each overlay\'s image tag as it is in the file, and starts a new one at the placeholder', () => {
    const sha = 'a'.repeat(40);
    const withTag = generate((f) => (f === overlays[0]!.file ? files[f]!.replace(/newTag: ".*"/, `newTag: "${sha}"`) : undefined));
    expect(readImageTag(withTag[overlays[0]!.file]!, overlays[0]!.app)).toBe(sha);
    expect(readImageTag(withTag[overlays[1]!.file]!, overlays[1]!.app)).toBe(PLACEHOLDER_TAG);
  });
});

describe('a Jenkins release commit', () => {
  const sha = '0123456789abcdef0123456789abcdef01234567';

  it.each(overlays)('$app $env: the bump changes the tag and nothing else, in the generator\'s own format', ({ app, file }) => {
    const bumped = setImageTag(files[file]!, app, sha, file);
    expect(bumped.changed).toBe(true);
    // regenerating from the bumped file gives the bumped file back: the generate test stays green after a release
    expect(generate((f) => (f === file ? bumped.text : files[f]))[file]).toBe(bumped.text);
    const before = files[file]!.split('\n');
    const after = bumped.text.split('\n');
    expect(after.filter((line, i) => line !== before[i])).toEqual([`    newTag: "${sha}"`]);
  });

  it('the pipeline\'s own bump (every app, one environment) finds every overlay in a copy of gitops/', async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'goorm-gitops-'));
    try {
      cpSync(path.join(GITOPS, 'apps'), path.join(copy, 'apps'), { recursive: true });
      for (const env of ENVS) {
        const changed = await bump(copy, env, sha, APPS.map((a) => a.name));
        expect(changed.length + APPS.filter((a) => readImageTag(files[`apps/${a.name}/overlays/${env}/kustomization.yaml`]!, a.name) === sha).length).toBe(APPS.length);
        for (const a of APPS) expect(readImageTag(readFileSync(path.join(copy, 'apps', a.name, 'overlays', env, 'kustomization.yaml'), 'utf8'), a.name)).toBe(sha);
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

});
