/**
 * The Thanos wiring read from the Helm values Argo CD renders (gitops/platform/values/<chart>/
 * values.yaml, then <env>.yaml over it, merged the way Helm merges value files): the replica label
 * kube-prometheus-stack's operator puts on each Prometheus replica must be the label Thanos Query
 * deduplicates on (rendered as --query.replica-label), and the Compactor must never run twice.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './paths.ts';

export const ENVIRONMENTS = ['staging', 'prod'] as const;
const VALUES_DIR = path.join(REPO_ROOT, 'gitops', 'platform', 'values');

type Values = Record<string, unknown>;
const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's merge of value files: maps merge key by key, anything else (lists, strings) is replaced, null deletes. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = mergeValues(out[k], v);
    else out[k] = v;
  }
  return out;
}

/** The values Argo CD passes to a chart in an environment (the Application's valueFiles: values.yaml, ENV.yaml). */
export function renderedValues(chart: 'kube-prometheus-stack' | 'thanos', env: string, dir = VALUES_DIR): Values {
  const read = (f: string) => (parse(readFileSync(path.join(dir, chart, f), 'utf8')) ?? {}) as Values;
  return mergeValues(read('values.yaml'), read(`${env}.yaml`));
}

const at = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isMap(o) ? o[k] : undefined), v);

/** What is wrong with the Thanos wiring of one environment ([] when nothing). */
export function thanosFindings(kps: Values, thanos: Values): string[] {
  const findings: string[] = [];
  const spec = at(kps, 'prometheus', 'prometheusSpec');
  const replicaLabel = at(spec, 'replicaExternalLabelName');
  const replicas = at(spec, 'replicas');
  if (typeof replicas !== 'number' || replicas < 2) findings.push(`kube-prometheus-stack runs ${String(replicas)} Prometheus replica(s); two are wanted (Thanos deduplicates them)`);
  if (typeof replicaLabel !== 'string' || replicaLabel === '') findings.push('kube-prometheus-stack sets no prometheus.prometheusSpec.replicaExternalLabelName');
  if (at(spec, 'thanos', 'objectStorageConfig') === undefined) findings.push('the Prometheus Thanos sidecar has no objectStorageConfig: it uploads nothing');

  if (at(thanos, 'query', 'enabled') !== true) findings.push('Thanos Query is not enabled');
  const dedup = at(thanos, 'query', 'replicaLabels');
  // each entry renders one --query.replica-label flag
  const flags = Array.isArray(dedup) ? dedup.map((l) => `--query.replica-label=${String(l)}`) : [];
  if (!flags.includes(`--query.replica-label=${String(replicaLabel)}`)) {
    findings.push(`Thanos Query deduplicates on ${JSON.stringify(dedup)} but the Prometheus replicas differ by "${String(replicaLabel)}": both replicas' series would show twice`);
  }
  if (at(thanos, 'storegateway', 'enabled') !== true) findings.push('the Thanos Store Gateway is not enabled: nothing serves the history in S3');

  const compactor = at(thanos, 'compactor');
  if (at(compactor, 'enabled') !== true) findings.push('no Thanos Compactor: blocks are never compacted nor deleted');
  const count = at(compactor, 'replicaCount');
  // the chart (thanos-community/helm-charts, charts/thanos) runs the Compactor as a StatefulSet of
  // `replicaCount` pods and has no autoscaler for it: one replica is one pod, even during a rollout
  if (count !== 1) findings.push(`the Thanos Compactor has replicaCount ${String(count)}: two compactors on one bucket corrupt it`);
  if (at(compactor, 'autoscaling', 'enabled') === true) findings.push('the Thanos Compactor is autoscaled: it could run twice');
  for (const [k, v] of [
    ['resolutionRaw', at(compactor, 'retention', 'resolutionRaw')],
    ['resolution5m', at(compactor, 'retention', 'resolution5m')],
    ['resolution1h', at(compactor, 'retention', 'resolution1h')],
  ] as const) {
    if (typeof v !== 'string' || !/^\d+[dwy]$/.test(v)) findings.push(`the Compactor keeps no retention for ${k}`);
  }

  // both read and write the same bucket, by Pod Identity: no keys in either
  const kpsBucket = at(spec, 'thanos', 'objectStorageConfig', 'secret', 'config', 'bucket');
  const objstore = at(thanos, 'global', 'objstore', 'config');
  const thanosBucket = typeof objstore === 'string' ? at(parse(objstore), 'config', 'bucket') : undefined;
  if (kpsBucket !== thanosBucket) findings.push(`the sidecars upload to ${String(kpsBucket)} but the Store Gateway and Compactor read ${String(thanosBucket)}`);
  const text = JSON.stringify([kps, thanos]);
  if (/access_key|secret_key|AKIA[0-9A-Z]{16}/.test(text)) findings.push('an S3 access key is written in the values: S3 access is by Pod Identity');
  return findings;
}
