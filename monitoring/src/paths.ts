import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MONITORING_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(MONITORING_ROOT, '..');
export const RULES_DIR = path.join(MONITORING_ROOT, 'rules');
/** The rule files Prometheus loads (absolute paths). */
export const RULE_FILES = ['goorm.rules.yaml', 'slo.rules.yaml'].map((f) => path.join(RULES_DIR, f));
export const RULE_TESTS = ['goorm.test.yaml', 'slo.test.yaml'].map((f) => path.join(RULES_DIR, 'tests', f));
export const RUNBOOKS_DIR = path.join(MONITORING_ROOT, 'runbooks');
export const DASHBOARDS_JSON_DIR = path.join(MONITORING_ROOT, 'dashboards');
export const GITOPS_DASHBOARDS_DIR = path.join(REPO_ROOT, 'gitops', 'platform', 'dashboards');
export const GITOPS_RULES_DIR = path.join(REPO_ROOT, 'gitops', 'platform', 'rules');
/** Where runbook_url points: the runbook's file in the repository on GitHub. */
export const RUNBOOK_BASE_URL = 'https://github.com/goorm-university/course-registration/blob/main/monitoring/runbooks';
