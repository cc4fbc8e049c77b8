/**
 * Which images, and which pipeline stages, a commit range needs.
 *
 *   tsx jenkins/scripts/detect-changes.ts --base <sha> [--head <sha>] [--repo <dir>] [--format json|env]
 *
 * Rules (tested in jenkins/test/detect-changes.test.ts):
 * - services/<name>/ selects that service; services/common/ or services/demo-data/ select every
 *   service; services/contracts/ selects every service and both apps (they import the contract);
 * - frontend-student/, frontend-admin/ select that app;
 * - the lockfile, the root package.json, tsconfig.base.json, .npmrc or scripts/build.ts select
 *   everything (every image is built from them);
 * - infra/ selects the CDK stage; services/ai-helper/ also selects the model stage;
 * - docs, READMEs, bench results, gitops/ and monitoring/ build nothing (Argo CD syncs gitops/).
 * With no base (a first build, or history too shallow) everything is selected.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

export const SERVICES = ['auth', 'lectures', 'carts', 'enrollment', 'ai-helper', 'gateway'] as const;
export const APPS = ['frontend-student', 'frontend-admin'] as const;

export interface Selection {
  services: string[];
  apps: string[];
  /** CDK diff/deploy */
  infra: boolean;
  /** AI model: train, evaluate, gate */
  model: boolean;
  /** Why each target was selected, for the build log. */
  reasons: Record<string, string>;
}

const EVERYTHING_FILES = new Set(['package-lock.json', 'package.json', 'tsconfig.base.json', '.npmrc', 'scripts/build.ts']);
const SHARED_BY_SERVICES = new Set(['common', 'demo-data']);

export function selectTargets(changed: readonly string[]): Selection {
  const services = new Set<string>();
  const apps = new Set<string>();
  const reasons: Record<string, string> = {};
  let infra = false;
  let model = false;
  const pick = (set: Set<string>, names: readonly string[], why: string) => {
    for (const name of names) {
      if (!set.has(name)) reasons[name] = why;
      set.add(name);
    }
  };

  for (const file of changed) {
    const parts = file.split('/');
    if (EVERYTHING_FILES.has(file)) {
      pick(services, SERVICES, file);
      pick(apps, APPS, file);
      model = true;
      continue;
    }
    if (parts[0] === 'services' && parts.length > 2) {
      const name = parts[1] ?? '';
      if (name === 'contracts') {
        pick(services, SERVICES, file);
        pick(apps, APPS, file);
      } else if (SHARED_BY_SERVICES.has(name)) {
        pick(services, SERVICES, file);
      } else if ((SERVICES as readonly string[]).includes(name)) {
        if (isDocumentation(file)) continue;
        pick(services, [name], file);
        if (name === 'ai-helper') model = true;
      }
      continue;
    }
    if ((APPS as readonly string[]).includes(parts[0] ?? '') && parts.length > 1) {
      if (isDocumentation(file)) continue;
      pick(apps, [parts[0] ?? ''], file);
      continue;
    }
    if (parts[0] === 'infra' && parts.length > 1 && !isDocumentation(file)) {
      if (!infra) reasons.infra = file;
      infra = true;
    }
  }
  if (model && !reasons.model) reasons.model = 'ai-helper or shared input changed';
  return { services: order(services, SERVICES), apps: order(apps, APPS), infra, model, reasons };
}

/** Markdown anywhere builds nothing (a service README does not change its image). */
function isDocumentation(file: string): boolean {
  return file.endsWith('.md');
}

function order(set: Set<string>, canonical: readonly string[]): string[] {
  return canonical.filter((name) => set.has(name));
}

/** Files changed between base and head (merge-base diff, renames as two paths). */
export function changedFiles(repo: string, base: string, head = 'HEAD'): string[] {
  const out = execFileSync('git', ['-C', repo, 'diff', '--name-only', '--no-renames', `${base}...${head}`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

export function everything(reason: string): Selection {
  return {
    services: [...SERVICES],
    apps: [...APPS],
    infra: true,
    model: true,
    reasons: Object.fromEntries([...SERVICES, ...APPS, 'infra', 'model'].map((n) => [n, reason])),
  };
}

/** KEY=value lines for the Jenkinsfile (readProperties). */
export function toEnv(s: Selection): string {
  return [
    `SERVICES=${s.services.join(',')}`,
    `APPS=${s.apps.join(',')}`,
    `IMAGES=${[...s.services, ...s.apps].join(',')}`,
    `INFRA=${s.infra}`,
    `MODEL=${s.model}`,
  ].join('\n');
}

function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      base: { type: 'string' },
      head: { type: 'string', default: 'HEAD' },
      repo: { type: 'string', default: '.' },
      format: { type: 'string', default: 'json' },
    },
  });
  const selection = detectRange(values.repo, values.base ?? '', values.head);
  process.stdout.write(values.format === 'env' ? `${toEnv(selection)}\n` : `${JSON.stringify(selection, null, 2)}\n`);
}

/** The selection for base...head in repo; everything when base is empty, all zeros or unknown. */
export function detectRange(repo: string, base: string, head = 'HEAD'): Selection {
  const baseKnown = base !== '' && !/^0+$/.test(base) && commitExists(repo, base);
  if (!baseKnown) return everything(base ? `base ${base} not in history: build everything` : 'no base commit: build everything');
  return selectTargets(changedFiles(repo, base, head));
}

function commitExists(repo: string, sha: string): boolean {
  try {
    execFileSync('git', ['-C', repo, 'cat-file', '-e', `${sha}^{commit}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
