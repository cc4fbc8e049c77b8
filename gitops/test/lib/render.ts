/**
 * Renders Kustomize folders the way Argo CD does (`kubectl kustomize`, Kustomize v5), once per
 * folder per test run, and lists the folders there are.
 *
 * kubectl comes from PATH, or from $KUBECTL; the tests fail with a clear message when neither has it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const GITOPS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_ROOT = path.resolve(GITOPS, '..');

/** Rendered YAML below the typed top: the policy code reads what it needs and checks what it reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Loose = any;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: Loose;
  [k: string]: Loose;
}

const KUBECTL = process.env.KUBECTL ?? 'kubectl';

/** Parses a multi-document YAML text into objects (empty documents dropped). */
export function parseObjects(text: string, where: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${where}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

const cache = new Map<string, K8sObject[]>();

/** `kubectl kustomize <dir>` (relative to the repository root) as objects. */
export function kustomize(dir: string): K8sObject[] {
  const cached = cache.get(dir);
  if (cached) return structuredClone(cached);
  let text: string;
  try {
    text = execFileSync(KUBECTL, ['kustomize', path.join(REPO_ROOT, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${KUBECTL} not found: the gitops tests render with kubectl's Kustomize (set KUBECTL or put kubectl on PATH)`);
    throw new Error(`kubectl kustomize ${dir} failed:\n${e.stderr ?? e.message}`);
  }
  const objects = parseObjects(text, dir);
  cache.set(dir, objects);
  return structuredClone(objects);
}

const subdirs = (dir: string) =>
  existsSync(path.join(REPO_ROOT, dir))
    ? readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];

export interface Overlay {
  app: string;
  env: string;
  dir: string;
}

/** gitops/apps/<app>/overlays/<env>, every one there is. */
export function appOverlays(): Overlay[] {
  return subdirs('gitops/apps').flatMap((app) => subdirs(`gitops/apps/${app}/overlays`).map((env) => ({ app, env, dir: `gitops/apps/${app}/overlays/${env}` })));
}

/** Every folder Argo CD renders: app overlays, the Argo CD folder, platform overlays and config folders. */
export function renderedFolders(): string[] {
  return [
    ...appOverlays().map((o) => o.dir),
    'gitops/argocd',
    ...subdirs('gitops/platform/overlays').map((env) => `gitops/platform/overlays/${env}`),
    ...['cluster', 'rules', 'dashboards'].map((f) => `gitops/platform/${f}`).filter((d) => existsSync(path.join(REPO_ROOT, d, 'kustomization.yaml'))),
  ];
}

export const annotation = (o: K8sObject, key: string): string | undefined => o.metadata.annotations?.[key];
export const waveOf = (o: K8sObject): number => Number(annotation(o, 'argocd.argoproj.io/sync-wave') ?? '0');
export const hookOf = (o: K8sObject): string | undefined => annotation(o, 'argocd.argoproj.io/hook');
export const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
export const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
