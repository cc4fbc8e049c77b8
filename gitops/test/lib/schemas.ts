/**
 * Schema validation of rendered objects: the Kubernetes API (kubernetes-models) and the CRDs the
 * platform installs (Argo CD, External Secrets, KEDA, Prometheus operator), found by apiVersion
 * and kind. An object whose kind has no schema here is an error, never skipped.
 */
import * as k8s from 'kubernetes-models';
import * as argoCd from '@kubernetes-models/argo-cd';
import * as externalSecrets from '@kubernetes-models/external-secrets';
import * as keda from '@kubernetes-models/keda';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';
import type { K8sObject } from './render.ts';

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: object): { validate(): void };
}

const registry = new Map<string, ModelClass>();
function collect(tree: unknown, depth = 0): void {
  if (depth > 4 || tree === null || typeof tree !== 'object') return;
  for (const value of Object.values(tree)) {
    if (typeof value === 'function' && 'apiVersion' in value && 'kind' in value) {
      const m = value as unknown as ModelClass;
      registry.set(`${m.apiVersion}/${m.kind}`, m);
    } else {
      collect(value, depth + 1);
    }
  }
}
for (const models of [k8s, argoCd, externalSecrets, keda, prometheusOperator]) collect(models);

export const hasSchema = (apiVersion: string, kind: string) => registry.has(`${apiVersion}/${kind}`);

/** Undefined when the object is valid; otherwise what is wrong with it. */
export function schemaError(o: K8sObject): string | undefined {
  const Model = registry.get(`${o.apiVersion}/${o.kind}`);
  if (!Model) return `${o.apiVersion} ${o.kind} ${o.metadata?.name}: no schema for this apiVersion and kind`;
  try {
    new Model(o).validate();
    return undefined;
  } catch (err) {
    return `${o.kind} ${o.metadata?.name}: ${(err as Error).message}`;
  }
}
