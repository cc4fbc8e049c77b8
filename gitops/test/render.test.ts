/**
 * Every folder Argo CD renders renders (`kubectl kustomize`, as Argo CD does), and every object in
 * it validates against the Kubernetes API schema or its CRD's (kubernetes-models and
 * @kubernetes-models/{argo-cd,external-secrets,keda,prometheus-operator}). The HPAs KEDA makes
 * from the ScaledObjects validate as autoscaling/v2 too. The monitoring folders (rules,
 * dashboards; monitoring/ generates them) are rendered and validated the same way.
 */
import { describe, expect, it } from 'vitest';
import { hpaOf } from './lib/keda.ts';
import { appOverlays, byKind, kustomize, renderedFolders } from './lib/render.ts';
import { schemaError } from './lib/schemas.ts';

describe('every folder renders and every object validates against its schema', () => {
  it('the folders are all there: two environments for each app, the Argo CD folder, the platform', () => {
    const overlays = appOverlays();
    const apps = [...new Set(overlays.map((o) => o.app))].sort();
    expect(apps).toEqual(['ai-helper', 'auth', 'carts', 'edge', 'enrollment', 'frontend-admin', 'frontend-student', 'lectures']);
    for (const app of apps) expect(overlays.filter((o) => o.app === app).map((o) => o.env).sort(), app).toEqual(['prod', 'staging']);
    expect(renderedFolders()).toEqual(expect.arrayContaining(['gitops/argocd', 'gitops/platform/overlays/prod', 'gitops/platform/overlays/staging', 'gitops/platform/cluster']));
  });

  it.each(renderedFolders())('%s', (dir) => {
    const objects = kustomize(dir);
    expect(objects.length).toBeGreaterThan(0);
    const errors = objects.map(schemaError).filter(Boolean);
    expect(errors).toEqual([]);
    // no placeholder of a base left in what an environment gets
    const placeholders = JSON.stringify(objects).match(/goorm\/ENV\/|\/ENV\.yaml|goorm-ENV|"host":"HOST"|\["HOST"\]|Environment=ENV/g);
    expect(placeholders).toBeNull();
  });

  it.each(appOverlays().filter((o) => o.app !== 'edge').map((o) => o.dir))('%s: the HPA KEDA makes from its ScaledObject is a valid autoscaling/v2 object', (dir) => {
    const scaled = byKind(kustomize(dir), 'ScaledObject');
    expect(scaled).toHaveLength(1);
    const hpa = hpaOf(scaled[0]!);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(schemaError(hpa)).toBeUndefined();
  });

  it('the schemas catch a broken object (a probe with a string timeout, a ScaledObject without a target, a CronJob with a string deadline or no schedule)', () => {
    const [deployment] = byKind(kustomize('gitops/apps/enrollment/overlays/prod'), 'Deployment');
    deployment!.spec.template.spec.containers[0].readinessProbe.timeoutSeconds = 'two';
    expect(schemaError(deployment!)).toMatch(/timeoutSeconds/);
    const [so] = byKind(kustomize('gitops/apps/enrollment/overlays/prod'), 'ScaledObject');
    delete so!.spec.scaleTargetRef;
    expect(schemaError(so!)).toMatch(/scaleTargetRef/);
    // the CronJob (batch/v1) is held to its schema too
    const [cj] = byKind(kustomize('gitops/apps/enrollment/overlays/prod'), 'CronJob');
    expect(schemaError(cj!)).toBeUndefined();
    cj!.spec.jobTemplate.spec.activeDeadlineSeconds = '4m';
    expect(schemaError(cj!)).toMatch(/activeDeadlineSeconds/);
    const [cj2] = byKind(kustomize('gitops/apps/enrollment/overlays/prod'), 'CronJob');
    delete cj2!.spec.schedule;
    expect(schemaError(cj2!)).toMatch(/schedule/);
    expect(schemaError({ apiVersion: 'example.com/v1', kind: 'Nothing', metadata: { name: 'x' } })).toMatch(/no schema/);
  });
});
