/**
 * Reads a Dockerfile with dockerfile-ast (the parser behind the Docker language server) into its
 * stages, checks it against our image rules, and reproduces its stages in host directories
 * without a Docker engine:
 *
 * - the source stage (the one that does `COPY . .`) is the repository itself: its WORKDIR maps
 *   to the repository root and its RUN steps run there, except `npm ci` (the repository's
 *   dependencies are already installed from the same lockfile);
 * - every other stage gets its own directory: its COPY instructions copy from the build context
 *   (the repository) or from an earlier stage's directory, and its RUN steps run in it with `sh`;
 * - the last stage is the image: `cmdOf()` gives its CMD and WORKDIR in that directory.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
  line: number;
}
export interface Stage {
  name: string | undefined;
  image: { name: string; tag: string | null; digest: string | null; raw: string };
  workdir: string;
  copies: Copy[];
  runs: string[];
  env: Record<string, string>;
  args: string[];
  labels: Record<string, string>;
  user: string | undefined;
  cmd: { exec: boolean; argv: string[] } | undefined;
  instructions: Array<{ keyword: string; line: number }>;
}

const unquote = (s: string) => s.replace(/^"(.*)"$/s, '$1');

export function parseDockerfile(text: string): Stage[] {
  const df = DockerfileParser.parse(text);
  const stages: Stage[] = [];
  let cur: Stage | undefined;
  for (const ins of df.getInstructions()) {
    const keyword = ins.getKeyword();
    const line = ins.getRange().start.line + 1;
    if (keyword === 'FROM') {
      const from = ins as unknown as import('dockerfile-ast').From;
      cur = {
        name: from.getBuildStage() ?? undefined,
        image: { name: from.getImageName() ?? '', tag: from.getImageTag(), digest: from.getImageDigest(), raw: from.getImage() ?? '' },
        workdir: '/',
        copies: [],
        runs: [],
        env: {},
        args: [],
        labels: {},
        user: undefined,
        cmd: undefined,
        instructions: [],
      };
      stages.push(cur);
      continue;
    }
    if (!cur) {
      if (keyword !== 'ARG') throw new Error(`line ${line}: ${keyword} before FROM`);
      continue;
    }
    cur.instructions.push({ keyword, line });
    const args = ins.getArguments().map((a) => a.getValue());
    switch (keyword) {
      case 'WORKDIR':
        cur.workdir = path.posix.resolve(cur.workdir, args[0]!);
        break;
      case 'COPY':
      case 'ADD': {
        const copy = ins as unknown as import('dockerfile-ast').Copy;
        const flags = copy.getFlags();
        const from = flags.find((f) => f.getName() === 'from')?.getValue() ?? undefined;
        const json = copy.getJSONStrings();
        const parts = json.length ? json.map((j) => j.getJSONValue()) : args;
        cur.copies.push({ from, sources: parts.slice(0, -1), dest: parts.at(-1)!, line });
        break;
      }
      case 'RUN':
        cur.runs.push(rawArgs(ins));
        break;
      case 'ENV':
      case 'LABEL':
        for (const p of (ins as unknown as import('dockerfile-ast').Env).getProperties()) {
          (keyword === 'ENV' ? cur.env : cur.labels)[p.getName()] = unquote(p.getValue() ?? '');
        }
        break;
      case 'ARG':
        cur.args.push(...(ins as unknown as import('dockerfile-ast').Arg).getProperties().map((p) => p.getName()));
        break;
      case 'USER':
        cur.user = args[0];
        break;
      case 'CMD': {
        const json = (ins as unknown as import('dockerfile-ast').Cmd).getJSONStrings();
        cur.cmd = json.length ? { exec: true, argv: json.map((j) => j.getJSONValue()) } : { exec: false, argv: [rawArgs(ins)] };
        break;
      }
    }
  }
  return stages;
}

/** The instruction's arguments as written, continuation lines joined. */
function rawArgs(ins: Instruction): string {
  return (ins.getArgumentsContent() ?? '').replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}

const SECRET_NAME = /(secret|passw|token|private|credential|api_?key|access_?key)/i;
const EXACT_VERSION = /^\d+\.\d+\.\d+([-.][A-Za-z0-9.-]+)?$/;

/** Every way the Dockerfile breaks our image rules (empty = passes). */
export function imageRuleViolations(text: string): string[] {
  const problems: string[] = [];
  for (const d of validate(text)) problems.push(`dockerfile-utils: line ${d.range.start.line + 1}: ${d.message}`);
  const stages = parseDockerfile(text);
  if (stages.length < 2) problems.push('not multi-stage (a build stage and a runtime stage)');
  const names = new Set(stages.map((s) => s.name).filter(Boolean));
  for (const s of stages) {
    if (names.has(s.image.name)) continue;
    if (!s.image.digest && !(s.image.tag && EXACT_VERSION.test(s.image.tag.split('-')[0]!) && !/latest/.test(s.image.tag))) {
      problems.push(`base ${s.image.raw} is not pinned (a digest or an exact version tag)`);
    }
    for (const name of [...Object.keys(s.env), ...s.args]) {
      if (SECRET_NAME.test(name)) problems.push(`${name} looks like a secret in ENV/ARG`);
    }
  }
  const image = stages.at(-1);
  if (image) {
    if (!image.user) problems.push('the image has no USER (it would run as root)');
    else if (!/^\d+(:\d+)?$/.test(image.user)) problems.push(`USER ${image.user} is not numeric (runAsNonRoot cannot check a name)`);
    else if (image.user.split(':')[0] === '0') problems.push('USER 0 is root');
    if (!image.cmd) problems.push('the image has no CMD');
    else if (!image.cmd.exec) problems.push('CMD is in shell form (signals would go to /bin/sh, not the process)');
    for (const label of ['org.opencontainers.image.source', 'org.opencontainers.image.revision']) {
      if (!(label in image.labels)) problems.push(`no LABEL ${label}`);
    }
    if (image.instructions.some((i) => i.keyword === 'ENTRYPOINT') && image.cmd?.exec === false) problems.push('ENTRYPOINT with a shell-form CMD');
  }
  return problems;
}

export interface Reproduced {
  /** Host directory of the image's root filesystem (only what the Dockerfile copied). */
  root: string;
  workdir: string;
  cmd: string[];
  env: Record<string, string>;
}

function exec(cmd: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('sh', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`RUN ${cmd} (in ${cwd}) exited ${code}:\n${out.slice(-3000)}`))));
  });
}

/**
 * Reproduces every stage of `dockerfile` (repository-relative) under `work` and returns the
 * image's root. `extraEnv` is added to RUN steps (e.g. npm's prefer-offline).
 */
export async function reproduce(repoRoot: string, dockerfile: string, work: string, extraEnv: Record<string, string> = {}): Promise<Reproduced> {
  const { readFileSync } = await import('node:fs');
  const stages = parseDockerfile(readFileSync(path.join(repoRoot, dockerfile), 'utf8'));
  const roots = new Map<string, { dir: string; strip: string }>();
  const hostPath = (stage: { dir: string; strip: string }, p: string) => {
    if (stage.strip !== '/' && !(p === stage.strip || p.startsWith(`${stage.strip}/`))) throw new Error(`${p} is outside the source stage's WORKDIR ${stage.strip}`);
    return path.join(stage.dir, stage.strip === '/' ? p : p.slice(stage.strip.length));
  };
  let last: { dir: string; strip: string } | undefined;
  for (const [i, s] of stages.entries()) {
    const isSource = s.copies.some((c) => !c.from && c.sources.length === 1 && c.sources[0] === '.');
    const root = isSource ? { dir: repoRoot, strip: s.workdir } : { dir: path.join(work, `stage-${i}`), strip: '/' };
    if (!isSource) mkdirSync(root.dir, { recursive: true });
    if (s.name) roots.set(s.name, root);
    const env = { ...process.env, ...s.env, ...extraEnv };
    if (!isSource) {
      mkdirSync(hostPath(root, s.workdir), { recursive: true });
      for (const c of s.copies) {
        const src = c.from ? roots.get(c.from) : undefined;
        if (c.from && !src) throw new Error(`line ${c.line}: COPY --from=${c.from}: no such stage`);
        const destAbs = path.posix.resolve(s.workdir, c.dest);
        for (const source of c.sources) {
          const from = src ? hostPath(src, path.posix.resolve('/', source)) : path.join(repoRoot, source);
          if (!existsSync(from)) throw new Error(`line ${c.line}: COPY ${source}: ${from} does not exist`);
          const intoDir = c.dest.endsWith('/') || c.sources.length > 1 || statSync(from).isDirectory();
          const to = hostPath(root, intoDir && !statSync(from).isDirectory() ? path.posix.join(destAbs, path.basename(source)) : destAbs);
          mkdirSync(path.dirname(to), { recursive: true });
          if (src && statSync(from).isDirectory()) {
            // Between stages, hard links: the same bytes as a copy, in a fraction of the time (node_modules).
            mkdirSync(to, { recursive: true });
            const cp = spawnSync('cp', ['-al', `${from}/.`, `${to}/`], { encoding: 'utf8' });
            if (cp.status !== 0) throw new Error(`line ${c.line}: cp -al ${from} ${to}: ${cp.stderr}`);
          } else {
            cpSync(from, to, { recursive: true, verbatimSymlinks: true, force: true });
          }
        }
      }
    }
    for (const run of s.runs) {
      if (isSource && /^npm ci\b/.test(run)) continue;
      await exec(run, hostPath(root, s.workdir), env);
    }
    last = root;
    if (i === stages.length - 1) {
      if (isSource) throw new Error('the image stage is the source stage');
      return { root: last.dir, workdir: hostPath(last, s.workdir), cmd: s.cmd?.argv ?? [], env: s.env };
    }
  }
  throw new Error(`${dockerfile} has no stages`);
}
