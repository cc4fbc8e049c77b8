import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const jenkinsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(jenkinsDir, '..');
const jenkinsfile = readFileSync(join(jenkinsDir, 'Jenkinsfile'), 'utf8');

interface Container {
  name: string;
  image: string;
  securityContext?: { privileged?: boolean };
  env?: { name: string; value?: string }[];
}
const pod = parse(readFileSync(join(jenkinsDir, 'pod-template.yaml'), 'utf8')) as { spec: { containers: Container[]; serviceAccountName: string } };

describe('Jenkinsfile', () => {
  // One lint run for the file (~30–45 s on two cores): npm-groovy-lint with CodeNarc, no server left behind.
  let lint: { summary: { totalFoundErrorNumber: number }; files: Record<string, { errors: { severity: string; line: number; rule: string; msg: string }[] }> };
  beforeAll(async () => {
    const bin = join(root, 'node_modules', '.bin', 'npm-groovy-lint');
    const args = ['--noserver', '--failon', 'error', '--output', 'json', '--config', join(jenkinsDir, '.groovylintrc.json'), join(jenkinsDir, 'Jenkinsfile')];
    const { stdout } = await promisify(execFile)(bin, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    lint = JSON.parse(stdout);
  }, 180_000);

  it('passes npm-groovy-lint with no error', () => {
    const errors = Object.values(lint.files).flatMap((f) => f.errors.filter((e) => e.severity === 'error'));
    expect(errors).toEqual([]);
    expect(lint.summary.totalFoundErrorNumber).toBe(0);
  });

  it('runs the stages in the release order', () => {
    const stages = [...jenkinsfile.matchAll(/^ {8}stage\('([^']+)'\)/gm)].map((m) => m[1]);
    expect(stages).toEqual([
      'Checkout',
      'Detect changes',
      'npm ci',
      'Lint and typecheck',
      'Tests',
      'AI model: train, evaluate, gate',
      'Build and push images',
      'Infra: synth and diff',
      'Infra: deploy staging',
      'Release to staging',
      'Approve prod',
      'Infra: deploy prod',
      'Release to prod',
    ]);
  });

  it('calls only scripts that exist in jenkins/scripts', () => {
    const scripts = [...jenkinsfile.matchAll(/jenkins\/scripts\/([\w-]+\.ts)/g)].map((m) => m[1] ?? '');
    expect(new Set(scripts)).toEqual(new Set(['detect-changes.ts', 'bump-image-tags.ts', 'model-gate.ts', 'argo-wait.ts']));
    for (const s of scripts) expect(existsSync(join(jenkinsDir, 'scripts', s)), s).toBe(true);
  });

  it('holds no credential: Jenkins credentials by id, AWS through the agent role', () => {
    expect(jenkinsfile).not.toMatch(/AKIA[0-9A-Z]{16}|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|password\s*[:=]/i);
    const ids = [...jenkinsfile.matchAll(/(?:credentialsId|tokenCredentialId): ['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(jenkinsfile).toMatch(/credentialsId: "argocd-\$\{environmentName\}-token"/);
  });

  it('asks for approval before prod', () => {
    const approve = jenkinsfile.indexOf("stage('Approve prod')");
    expect(approve).toBeGreaterThan(jenkinsfile.indexOf("stage('Release to staging')"));
    expect(jenkinsfile.indexOf("stage('Release to prod')")).toBeGreaterThan(approve);
    expect(jenkinsfile.indexOf("stage('Infra: deploy prod')")).toBeGreaterThan(approve);
    expect(jenkinsfile.slice(approve, approve + 800)).toMatch(/input message:/);
  });
});

describe('pod template', () => {
  const containers = pod.spec.containers;

  it('has Node 20, MariaDB and Redis sidecars, and a maintained daemonless builder', () => {
    const byName = Object.fromEntries(containers.map((c) => [c.name, c.image]));
    expect(byName.node).toMatch(/^node:20\.\d+\.\d+-/);
    expect(byName.mariadb).toMatch(/^mariadb:\d+\.\d+\.\d+$/);
    expect(byName.redis).toMatch(/^redis:\d+\.\d+\.\d+(-alpine)?$/);
    expect(byName.buildkit).toMatch(/^moby\/buildkit:v\d+\.\d+\.\d+-rootless$/);
    expect(containers.map((c) => c.image).join(' ')).not.toMatch(/kaniko-project\/executor/);
  });

  it('pins every image to a release (no latest, no floating major)', () => {
    for (const c of containers) {
      expect(c.image, c.name).toMatch(/(:v?\d+\.\d+\.\d+[\w.-]*|@sha256:[0-9a-f]{64})$/);
      expect(c.image, c.name).not.toMatch(/:latest$/);
    }
  });

  it('runs nothing privileged and carries no secret', () => {
    for (const c of containers) {
      expect(c.securityContext?.privileged ?? false, c.name).toBe(false);
      // the only secret-looking variable is the sidecar's "no root password" switch (a throwaway test database)
      const secretish = (c.env ?? []).filter((e) => /SECRET|PASSWORD|TOKEN|ACCESS_KEY/.test(e.name)).map((e) => e.name);
      expect(secretish, c.name).toEqual(c.name === 'mariadb' ? ['MARIADB_ALLOW_EMPTY_ROOT_PASSWORD'] : []);
    }
    expect(pod.spec.serviceAccountName).toBe('jenkins-agent');
  });

  it('points the tests at the sidecars', () => {
    const env = Object.fromEntries((containers.find((c) => c.name === 'node')?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ TEST_MYSQL_URL: 'mysql://root@127.0.0.1:3306/test', TEST_REDIS_URL: 'redis://127.0.0.1:6379', CI: 'true' });
  });
});
