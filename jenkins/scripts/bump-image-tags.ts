/**
 * Sets the image tag of the given apps in one environment's overlays to a commit sha.
 *
 *   tsx jenkins/scripts/bump-image-tags.ts --gitops gitops --env staging --tag <sha> --apps carts,frontend-admin
 *
 * Edits gitops/apps/<app>/overlays/<env>/kustomization.yaml: the `images:` entry whose name (or
 * newName) is the app's repository `goorm/<app>` gets `newTag: <sha>`; comments and order are
 * kept. An app without an overlay or without a matching images entry is an error, never skipped:
 * a silent skip would deploy the old image while the pipeline reports success.
 * Prints the files it changed (the Jenkinsfile commits them).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Scalar, isMap, isSeq, parseDocument } from 'yaml';

export const ENVIRONMENTS = ['staging', 'prod'] as const;

export function overlayPath(gitopsDir: string, app: string, env: string): string {
  return join(gitopsDir, 'apps', app, 'overlays', env, 'kustomization.yaml');
}

/** Returns the edited text, and whether the tag actually changed. */
export function setImageTag(text: string, app: string, tag: string, where: string): { text: string; changed: boolean } {
  const doc = parseDocument(text);
  const images = doc.get('images');
  if (!isSeq(images)) throw new Error(`${where}: no images: list`);
  const repo = `goorm/${app}`;
  const matches = images.items.filter((item) => {
    if (!isMap(item)) return false;
    const names = [item.get('name'), item.get('newName')].filter((v): v is string => typeof v === 'string');
    return names.some((n) => n === repo || n.endsWith(`/${repo}`));
  });
  if (matches.length === 0) throw new Error(`${where}: no images entry for ${repo}`);
  let changed = false;
  for (const item of matches) {
    if (!isMap(item)) continue;
    if (String(item.get('newTag')) !== tag) changed = true;
    // always quoted: a sha of digits only (1234567) or like 1e10 would otherwise be read as a number
    const value = new Scalar(tag);
    value.type = Scalar.QUOTE_DOUBLE;
    item.set('newTag', value);
    if (item.has('digest')) item.delete('digest'); // a stale digest would win over the tag
  }
  return { text: doc.toString(), changed };
}

/** The tag an environment runs for an app (the commit deployed there), or undefined. */
export function readImageTag(text: string, app: string): string | undefined {
  const doc = parseDocument(text);
  const images = doc.get('images');
  if (!isSeq(images)) return undefined;
  const repo = `goorm/${app}`;
  for (const item of images.items) {
    if (!isMap(item)) continue;
    const names = [item.get('name'), item.get('newName')].filter((v): v is string => typeof v === 'string');
    if (names.some((n) => n === repo || n.endsWith(`/${repo}`))) {
      const tag = item.get('newTag');
      return tag === undefined || tag === null ? undefined : String(tag);
    }
  }
  return undefined;
}

export async function bump(gitopsDir: string, env: string, tag: string, apps: string[]): Promise<string[]> {
  if (!(ENVIRONMENTS as readonly string[]).includes(env)) throw new Error(`--env ${env}: expected one of ${ENVIRONMENTS.join(', ')}`);
  if (!/^[0-9a-f]{7,40}$/.test(tag)) throw new Error(`--tag ${tag}: expected a commit sha`);
  if (apps.length === 0) return [];
  // read and edit everything first, so one bad overlay leaves no file half-done
  const edits: { file: string; text: string; changed: boolean }[] = [];
  for (const app of apps) {
    const file = overlayPath(gitopsDir, app, env);
    let original: string;
    try {
      original = await readFile(file, 'utf8');
    } catch {
      throw new Error(`${file}: missing (no ${env} overlay for ${app})`);
    }
    edits.push({ file, ...setImageTag(original, app, tag, file) });
  }
  for (const e of edits) if (e.changed) await writeFile(e.file, e.text);
  return edits.filter((e) => e.changed).map((e) => e.file);
}

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      gitops: { type: 'string', default: 'gitops' },
      env: { type: 'string' },
      tag: { type: 'string' },
      apps: { type: 'string', default: '' },
      // --read <app>: print the tag the environment runs (the commit deployed there) and change nothing
      read: { type: 'string' },
    },
  });
  if (values.read) {
    const file = overlayPath(values.gitops ?? 'gitops', values.read, values.env ?? '');
    const tag = readImageTag(await readFile(file, 'utf8'), values.read);
    if (!tag) throw new Error(`${file}: no tag for goorm/${values.read}`);
    process.stdout.write(`${tag}\n`);
    return;
  }
  const apps = (values.apps ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const changed = await bump(values.gitops ?? 'gitops', values.env ?? '', values.tag ?? '', apps);
  process.stdout.write(changed.map((f) => `${f}\n`).join(''));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`bump-image-tags: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
