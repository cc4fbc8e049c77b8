import { clusterAndNodes } from './cluster.ts';
import { registrationDay } from './registration-day.ts';
import { serviceRed } from './service-red.ts';

export { buildDashboard, panelsOf, THANOS, type DashboardSpec, type PanelSpec, type Source } from './kit.ts';
export const DASHBOARDS = [registrationDay, serviceRed, clusterAndNodes] as const;
