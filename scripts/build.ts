/**
 * `npm run build`: the production build.
 *
 * - every service with a `src/server.ts`: esbuild bundles `src/server.ts` (and, when present,
 *   `src/migrate.ts`, the migration Job's entry, and `src/jobs/<job>.ts`, a CronJob's entry such as
 *   enrollment's `check-invariants`) into `services/<svc>/dist/<name>.js`: ESM for Node 20,
 *   the workspace packages (@goorm/common and @goorm/contracts, TypeScript source) bundled in, every third-party package
 *   left external so `node dist/server.js` runs on the production dependencies installed from the
 *   lockfile (native ones such as better-sqlite3 and onnxruntime-node must stay external anyway);
 * - both Vue apps: `vite build` into each app's dist folder.
 *
 * `node scripts/...` is not enough here (the script is TypeScript): it runs with tsx, a dev
 * dependency, at build time only.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const APPS = ['frontend-student', 'frontend-admin'] as const;
/** The entry points a service may have, in `src/`; `server` is required. */
const ENTRIES = ['server', 'migrate'] as const;
/** Batch jobs (a CronJob's command in gitops/): every `src/jobs/<job>.ts`, bundled as `dist/<job>.js`. */
const JOBS_DIR = 'jobs';

/**
 * Services that run as a process: a workspace under services/ with a src/server.ts that its
 * `start` script runs (common also has a server.ts, a library module, and no start script).
 */
export function serviceNames(root = REPO_ROOT): string[] {
  return readdirSync(path.join(root, 'services'))
    .filter((name) => {
      const dir = path.join(root, 'services', name);
      if (!existsSync(path.join(dir, 'src', 'server.ts')) || !existsSync(path.join(dir, 'package.json'))) return false;
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
      return pkg.scripts?.start?.includes('src/server.ts') === true;
    })
    .sort();
}

/** Bundles the @goorm workspace packages (TypeScript) and leaves every other bare import to node_modules. */
const externalThirdParty: Plugin = {
  name: 'external-third-party',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@goorm/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** What a service's build bundles: `in` (its source) → `dist/<out>.js`. */
export function entryPoints(name: string, root = REPO_ROOT): Array<{ in: string; out: string }> {
  const src = path.join(root, 'services', name, 'src');
  const entries = ENTRIES.filter((e) => existsSync(path.join(src, `${e}.ts`))).map((e) => ({ in: path.join(src, `${e}.ts`), out: e as string }));
  const jobs = existsSync(path.join(src, JOBS_DIR))
    ? readdirSync(path.join(src, JOBS_DIR))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
        .sort()
        .map((f) => ({ in: path.join(src, JOBS_DIR, f), out: f.slice(0, -'.ts'.length) }))
    : [];
  const clash = jobs.find((j) => entries.some((e) => e.out === j.out));
  if (clash) throw new Error(`services/${name}: src/${JOBS_DIR}/${clash.out}.ts would overwrite dist/${clash.out}.js`);
  return [...entries, ...jobs];
}

export async function buildService(name: string, root = REPO_ROOT): Promise<string[]> {
  const dir = path.join(root, 'services', name);
  const entries = entryPoints(name, root);
  rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
  await build({
    entryPoints: entries,
    outdir: path.join(dir, 'dist'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // One file per entry: no shared chunks to copy or to keep in step.
    splitting: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [externalThirdParty],
    // Bundled ESM that still meets a CommonJS-only `require` (none today) should fail loudly, not
    // silently: no createRequire banner is added.
  });
  return entries.map((e) => path.join(dir, 'dist', `${e.out}.js`));
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: 'inherit' });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} in ${cwd} exited with ${code}`))));
  });
}

export async function buildApp(name: string, root = REPO_ROOT): Promise<void> {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--logLevel', 'warn'], path.join(root, name));
}

const kib = (file: string) => `${(statSync(file).size / 1024).toFixed(0)} KiB`;

/** `--service <name>` and `--app <name>` (repeatable) build only those (one image's build stage); `--services-only` skips the apps. */
function parseArgs(argv: string[]): { services: string[]; apps: string[] } {
  const pick = (flag: string) => argv.flatMap((a, i) => (a === flag && argv[i + 1] ? [argv[i + 1]!] : []));
  const services = pick('--service');
  const apps = pick('--app');
  if (services.length || apps.length) return { services, apps };
  return { services: serviceNames(), apps: argv.includes('--services-only') ? [] : [...APPS] };
}

async function main() {
  const started = Date.now();
  const { services, apps } = parseArgs(process.argv.slice(2));
  const unknown = [...services.filter((s) => !serviceNames().includes(s)), ...apps.filter((a) => !(APPS as readonly string[]).includes(a))];
  if (unknown.length) throw new Error(`nothing to build called ${unknown.join(', ')} (services: ${serviceNames().join(', ')}; apps: ${APPS.join(', ')})`);
  const outputs = await Promise.all(services.map((s) => buildService(s)));
  services.forEach((s, i) => console.log(`${s}: ${outputs[i]!.map((f) => `${path.relative(REPO_ROOT, f)} (${kib(f)})`).join(', ')}`));
  // One after the other: each vite build takes both cores of a CI agent.
  for (const app of apps) {
    await buildApp(app);
    console.log(`${app}: ${app}/dist`);
  }
  console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
