/**
 * Waits until Argo CD reports every Application of an environment Synced and Healthy at the
 * gitops commit the pipeline just pushed.
 *
 *   ARGOCD_TOKEN=… tsx jenkins/scripts/argo-wait.ts --server https://argocd.example --env staging \
 *       --revision <gitops sha> [--timeout 900] [--interval 10]
 *
 * Applications are found by the label `environment=<env>` (gitops/argocd's ApplicationSet sets it).
 * Fails at once when a sync operation failed, and after the timeout otherwise, listing the apps
 * that were not ready. The token comes from a Jenkins credential (by id), never from the repo.
 */
import { parseArgs } from 'node:util';

interface Application {
  metadata: { name: string };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string };
    operationState?: { phase?: string; message?: string };
  };
}

export interface AppState {
  name: string;
  ready: boolean;
  failed: boolean;
  detail: string;
}

export function assess(app: Application, revision: string | undefined): AppState {
  const sync = app.status?.sync?.status ?? 'Unknown';
  const health = app.status?.health?.status ?? 'Unknown';
  const revisions = [app.status?.sync?.revision, ...(app.status?.sync?.revisions ?? [])].filter(Boolean);
  const atRevision = !revision || revisions.includes(revision);
  const phase = app.status?.operationState?.phase;
  const failed = phase === 'Failed' || phase === 'Error';
  return {
    name: app.metadata.name,
    ready: sync === 'Synced' && health === 'Healthy' && atRevision,
    failed,
    detail: `${sync}/${health}${atRevision ? '' : ` at ${revisions.join(',') || 'no revision'}`}${failed ? ` (operation ${phase}: ${app.status?.operationState?.message ?? ''})` : ''}`,
  };
}

export async function waitForApps(opts: {
  server: string;
  token: string;
  selector: string;
  revision?: string;
  timeoutMs: number;
  intervalMs: number;
  log: (line: string) => void;
}): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  const url = `${opts.server.replace(/\/$/, '')}/api/v1/applications?selector=${encodeURIComponent(opts.selector)}`;
  let last: AppState[] = [];
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${opts.token}` } });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const body = (await res.json()) as { items?: Application[] | null };
    last = (body.items ?? []).map((a) => assess(a, opts.revision));
    if (last.length === 0) throw new Error(`no Application matches ${opts.selector}`);
    const failed = last.filter((s) => s.failed);
    if (failed.length > 0) {
      for (const s of failed) opts.log(`FAILED ${s.name}: ${s.detail}`);
      return false;
    }
    if (last.every((s) => s.ready)) {
      opts.log(`all ${last.length} applications Synced and Healthy${opts.revision ? ` at ${opts.revision}` : ''}`);
      return true;
    }
    if (Date.now() + opts.intervalMs > deadline) break;
    opts.log(`waiting: ${last.filter((s) => !s.ready).map((s) => `${s.name} ${s.detail}`).join('; ')}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
  for (const s of last.filter((x) => !x.ready)) opts.log(`NOT READY ${s.name}: ${s.detail}`);
  return false;
}

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      server: { type: 'string' },
      env: { type: 'string' },
      selector: { type: 'string' },
      revision: { type: 'string' },
      timeout: { type: 'string', default: '900' },
      interval: { type: 'string', default: '10' },
    },
  });
  const token = process.env.ARGOCD_TOKEN;
  if (!values.server || !values.env || !token) throw new Error('usage: ARGOCD_TOKEN=… argo-wait --server <url> --env <env> [--revision <sha>]');
  const ok = await waitForApps({
    server: values.server,
    token,
    selector: values.selector ?? `environment=${values.env}`,
    revision: values.revision,
    timeoutMs: Number(values.timeout) * 1000,
    intervalMs: Number(values.interval) * 1000,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.exit(ok ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`argo-wait: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
