import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bump, overlayPath, readImageTag } from '../scripts/bump-image-tags.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'gitops');
const sha = '3f2c1a9e5b7d4c6f8a0b2d4e6f8a0c2e4b6d8f0a';
let gitops: string;
beforeEach(() => {
  gitops = mkdtempSync(join(tmpdir(), 'goorm-gitops-'));
  cpSync(fixtures, gitops, { recursive: true });
});
afterEach(() => rmSync(gitops, { recursive: true, force: true }));

const read = (app: string, env: string) => readFileSync(overlayPath(gitops, app, env), 'utf8');
const images = (app: string, env: string) => (parse(read(app, env)) as { images: { name: string; newTag?: string; digest?: string }[] }).images;

describe('bump-image-tags (on a copy of fixture overlays)', () => {
  it('sets newTag of the app\'s image in that environment only, keeping comments and other images', async () => {
    const changed = await bump(gitops, 'staging', sha, ['carts']);
    expect(changed).toEqual([overlayPath(gitops, 'carts', 'staging')]);
    expect(images('carts', 'staging')).toEqual([
      { name: 'goorm/carts', newName: '333333333333.dkr.ecr.ap-northeast-2.amazonaws.com/goorm/carts', newTag: sha },
      { name: 'busybox', newTag: '1.37' },
    ]);
    expect(read('carts', 'staging')).toContain('# the pipeline rewrites newTag on every release');
    expect(images('carts', 'prod')[0]?.newTag).toBe('0000000');
  });

  it('matches a full ECR name and drops a stale digest that would override the tag', async () => {
    await bump(gitops, 'staging', sha, ['frontend-admin']);
    expect(images('frontend-admin', 'staging')).toEqual([{ name: '333333333333.dkr.ecr.ap-northeast-2.amazonaws.com/goorm/frontend-admin', newTag: sha }]);
  });

  it('writes the tag quoted, so a sha of digits only stays a string', async () => {
    await bump(gitops, 'staging', '1234567', ['carts']);
    expect(read('carts', 'staging')).toContain('newTag: "1234567"');
    expect(images('carts', 'staging')[0]?.newTag).toBe('1234567');
  });

  it('reads back the tag an environment runs (how the model gate finds the production card)', async () => {
    expect(readImageTag(read('carts', 'prod'), 'carts')).toBe('0000000');
    await bump(gitops, 'prod', sha, ['carts']);
    expect(readImageTag(read('carts', 'prod'), 'carts')).toBe(sha);
    expect(readImageTag(read('carts', 'prod'), 'auth')).toBeUndefined();
  });

  it('reports nothing changed when the tag is already there', async () => {
    await bump(gitops, 'prod', sha, ['carts']);
    expect(await bump(gitops, 'prod', sha, ['carts'])).toEqual([]);
  });

  it('refuses an app with no overlay, a bad sha or environment, and leaves every file untouched', async () => {
    const before = read('carts', 'prod');
    await expect(bump(gitops, 'prod', sha, ['carts', 'frontend-admin'])).rejects.toThrow(/frontend-admin.*missing/);
    expect(read('carts', 'prod')).toBe(before);
    await expect(bump(gitops, 'prod', 'latest', ['carts'])).rejects.toThrow(/commit sha/);
    await expect(bump(gitops, 'dev', sha, ['carts'])).rejects.toThrow(/--env dev/);
  });
});
