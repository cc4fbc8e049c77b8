import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, SERVICES, detectRange } from '../scripts/detect-changes.js';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'detect-changes.ts');
const tsx = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.bin', 'tsx');

/** A throwaway repository shaped like ours; each commit touches the given files. */
let repo: string;
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
function commit(message: string, files: string[]): string {
  for (const file of files) {
    mkdirSync(join(repo, dirname(file)), { recursive: true });
    writeFileSync(join(repo, file), `${message}\n`, { flag: 'a' });
  }
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}
const detect = (base: string, head: string) => detectRange(repo, base, head);

const shas: Record<string, string> = {};
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'goorm-detect-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.invalid');
  git('config', 'user.name', 'ci');
  shas.root = commit('root', [
    'package-lock.json',
    'README.md',
    ...SERVICES.map((s) => `services/${s}/src/app.ts`),
    'services/common/src/db.ts',
    'services/contracts/src/index.ts',
    ...APPS.map((a) => `${a}/src/main.ts`),
    'infra/src/app.ts',
    'docs/decisions/0001.md',
  ]);
  shas.carts = commit('carts only', ['services/carts/src/carts/carts.service.ts']);
  shas.common = commit('common', ['services/common/src/db.ts']);
  shas.contracts = commit('contracts', ['services/contracts/src/index.ts']);
  shas.lock = commit('lockfile', ['package-lock.json']);
  shas.infra = commit('infra', ['infra/src/stacks/data-stack.ts']);
  shas.docs = commit('docs', ['docs/decisions/0006-x.md', 'README.md', 'services/carts/README.md']);
  shas.admin = commit('admin app', ['frontend-admin/src/views/Queue.vue']);
  shas.ai = commit('ai', ['services/ai-helper/src/training/train.ts']);
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('detect-changes against a git repository', () => {
  it('a commit touching only services/carts selects carts and nothing else', () => {
    expect(detect(shas.root!, shas.carts!)).toMatchObject({ services: ['carts'], apps: [], infra: false, model: false });
  });

  it('a commit touching services/common selects every service, no app', () => {
    expect(detect(shas.carts!, shas.common!)).toMatchObject({ services: [...SERVICES], apps: [], infra: false });
  });

  it('a commit touching services/contracts selects every service and both apps', () => {
    expect(detect(shas.common!, shas.contracts!)).toMatchObject({ services: [...SERVICES], apps: [...APPS] });
  });

  it('a lockfile change selects everything', () => {
    expect(detect(shas.contracts!, shas.lock!)).toMatchObject({ services: [...SERVICES], apps: [...APPS], model: true });
  });

  it('infra/ selects the infra stage and no image', () => {
    expect(detect(shas.lock!, shas.infra!)).toMatchObject({ services: [], apps: [], infra: true });
  });

  it('documentation only selects nothing', () => {
    expect(detect(shas.infra!, shas.docs!)).toMatchObject({ services: [], apps: [], infra: false, model: false });
  });

  it('an app change selects that app only; ai-helper also selects the model stage', () => {
    expect(detect(shas.docs!, shas.admin!)).toMatchObject({ services: [], apps: ['frontend-admin'] });
    expect(detect(shas.admin!, shas.ai!)).toMatchObject({ services: ['ai-helper'], apps: [], model: true });
  });

  it('a range spanning several commits is the union of them', () => {
    const range = detect(shas.root!, shas.infra!);
    expect(range.services).toEqual([...SERVICES]);
    expect(range.apps).toEqual([...APPS]);
    expect(range.infra).toBe(true);
  });

  it('an unknown base (first build, force-push) builds everything', () => {
    expect(detect('0000000000000000000000000000000000000000', shas.ai!)).toMatchObject({ services: [...SERVICES], apps: [...APPS], infra: true });
  });

  it('runs as the CLI the Jenkinsfile calls, printing KEY=value lines with --format env', () => {
    const out = execFileSync(tsx, [script, '--repo', repo, '--base', shas.root!, '--head', shas.carts!, '--format', 'env'], { encoding: 'utf8' });
    expect(out).toBe('SERVICES=carts\nAPPS=\nIMAGES=carts\nINFRA=false\nMODEL=false\n');
  });
});
