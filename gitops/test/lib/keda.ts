/**
 * What KEDA does with a ScaledObject, so the tests can hold the result to the rules:
 *
 * - hpaOf: the autoscaling/v2 HorizontalPodAutoscaler KEDA creates and owns for it (the name from
 *   advanced.horizontalPodAutoscalerConfig.name, the target, min/max, one metric per trigger: a
 *   cpu trigger as a Resource metric, every other trigger as an External metric served by KEDA's
 *   metrics server, and the behavior as given);
 * - admissionErrors: the checks KEDA's admission webhook (v2.20, apis/keda/v1alpha1) refuses a
 *   ScaledObject for: replica counts, fallback only with a trigger that is not cpu/memory,
 *   cpu/memory triggers need the request on every container, no scale to zero on cpu alone.
 */
import type { K8sObject, Loose } from './render.ts';

export function hpaOf(so: K8sObject): K8sObject {
  const spec = so.spec as Loose;
  const advanced = spec.advanced?.horizontalPodAutoscalerConfig ?? {};
  const metrics = (spec.triggers as Loose[]).map((t, i) => {
    if (t.type === 'cpu' || t.type === 'memory') {
      const target = t.metricType === 'AverageValue' ? { type: 'AverageValue', averageValue: t.metadata.value } : { type: 'Utilization', averageUtilization: Number(t.metadata.value) };
      return { type: 'Resource', resource: { name: t.type, target } };
    }
    const value = t.type === 'prometheus' ? t.metadata.threshold : '1';
    return {
      type: 'External',
      external: {
        metric: { name: `s${i}-${t.type}`, selector: { matchLabels: { 'scaledobject.keda.sh/name': so.metadata.name } } },
        target: t.metricType === 'Value' ? { type: 'Value', value } : { type: 'AverageValue', averageValue: value },
      },
    };
  });
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: advanced.name ?? `keda-hpa-${so.metadata.name}`, namespace: so.metadata.namespace, labels: { 'scaledobject.keda.sh/name': so.metadata.name } },
    spec: {
      scaleTargetRef: { apiVersion: spec.scaleTargetRef.apiVersion ?? 'apps/v1', kind: spec.scaleTargetRef.kind ?? 'Deployment', name: spec.scaleTargetRef.name },
      minReplicas: Math.max(1, spec.minReplicaCount ?? 0),
      maxReplicas: spec.maxReplicaCount ?? 100,
      metrics,
      ...(advanced.behavior ? { behavior: advanced.behavior } : {}),
    },
  };
}

export function admissionErrors(so: K8sObject, target: K8sObject | undefined): string[] {
  const spec = so.spec as Loose;
  const errors: string[] = [];
  const triggers = (spec.triggers ?? []) as Loose[];
  const min = spec.minReplicaCount ?? 0;
  const max = spec.maxReplicaCount ?? 100;
  if (min > max) errors.push(`minReplicaCount ${min} > maxReplicaCount ${max}`);
  const names = triggers.map((t) => t.name).filter(Boolean);
  if (new Set(names).size !== names.length) errors.push('trigger names are not unique');
  if (spec.fallback && !triggers.some((t) => t.type !== 'cpu' && t.type !== 'memory')) {
    errors.push('at least one trigger (that is not cpu or memory) has to have the `AverageValue` type for the fallback to be enabled');
  }
  const resourceTriggers = triggers.filter((t) => t.type === 'cpu' || t.type === 'memory');
  if (resourceTriggers.length > 0 && target) {
    for (const t of resourceTriggers) {
      for (const c of (target.spec?.template?.spec?.containers ?? []) as Loose[]) {
        if (!c.resources?.requests?.[t.type]) errors.push(`the scaledobject has a ${t.type} trigger but the container ${c.name} doesn't have the ${t.type} request defined`);
      }
    }
    if (resourceTriggers.length === triggers.length && min === 0) errors.push('scaledobject has only cpu/memory triggers AND minReplica is 0');
  }
  for (const t of triggers) {
    if (t.type === 'cron') {
      for (const key of ['timezone', 'start', 'end', 'desiredReplicas']) if (!t.metadata?.[key]) errors.push(`cron trigger without ${key}`);
    }
    if (t.type === 'prometheus') {
      for (const key of ['serverAddress', 'query', 'threshold']) if (!t.metadata?.[key]) errors.push(`prometheus trigger without ${key}`);
    }
  }
  return errors;
}
