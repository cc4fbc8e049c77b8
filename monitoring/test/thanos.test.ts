import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, mergeValues, renderedValues, thanosFindings } from '../src/thanos.ts';

describe('Thanos in the platform values (kube-prometheus-stack and thanos, as Argo CD renders them)', () => {
  it.each(ENVIRONMENTS)('%s: replicas deduplicate on the operator’s replica label, one Compactor, one bucket, no keys', (env) => {
    const kps = renderedValues('kube-prometheus-stack', env);
    const thanos = renderedValues('thanos', env);
    expect(thanosFindings(kps, thanos)).toEqual([]);
    expect((kps.prometheus as { prometheusSpec: { replicaExternalLabelName: string } }).prometheusSpec.replicaExternalLabelName).toBe('prometheus_replica');
  });

  describe('the check fails when', () => {
    const kps = renderedValues('kube-prometheus-stack', 'prod');
    const thanos = renderedValues('thanos', 'prod');

    it('the query deduplicates on another label than the replica label (--query.replica-label)', () => {
      const findings = thanosFindings(kps, mergeValues(thanos, { query: { replicaLabels: ['replica'] } }));
      expect(findings.join('\n')).toMatch(/deduplicates on \["replica"\] but the Prometheus replicas differ by "prometheus_replica"/);
    });

    it('the operator’s replica label changes without the query', () => {
      const findings = thanosFindings(mergeValues(kps, { prometheus: { prometheusSpec: { replicaExternalLabelName: 'replica' } } }), thanos);
      expect(findings.join('\n')).toMatch(/differ by "replica"/);
    });

    it('the Compactor could run twice (two replicas, or autoscaled)', () => {
      expect(thanosFindings(kps, mergeValues(thanos, { compactor: { replicaCount: 2 } })).join('\n')).toMatch(/replicaCount 2/);
      expect(thanosFindings(kps, mergeValues(thanos, { compactor: { autoscaling: { enabled: true } } })).join('\n')).toMatch(/autoscaled/);
    });

    it('an environment file points the Store Gateway at another bucket than the sidecars', () => {
      const other = mergeValues(thanos, { global: { objstore: { config: 'type: S3\nconfig:\n  bucket: elsewhere\n' } } });
      expect(thanosFindings(kps, other).join('\n')).toMatch(/read elsewhere/);
    });
  });
});
