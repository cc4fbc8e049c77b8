/**
 * Renders dashboard panels to PNG from real Prometheus data: each panel's queries are run over a
 * time range through the HTTP API, drawn with ECharts (the chart library the staff app already
 * uses) in Debian's Chromium, and screenshotted one by one and as a grid.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { PanelSpec } from './dashboards/kit.ts';
import type { PromApi } from './prometheus.ts';
import { substitute } from './queries.ts';

const require = createRequire(import.meta.url);

export interface RenderedSeries {
  name: string;
  points: Array<[number, number]>;
}

export interface RenderedPanel {
  title: string;
  unit?: string | undefined;
  slug: string;
  series: RenderedSeries[];
  /** the time range drawn (ms) */
  from: number;
  to: number;
}

const legendOf = (legend: string | undefined, metric: Record<string, string>, fallback: string) =>
  legend ? legend.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => metric[k] ?? '') : fallback;

export const slugOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The panel's series over [start, end] as Grafana would draw them. */
export async function panelSeries(api: PromApi, p: PanelSpec, start: number, end: number, step: number, vars: Record<string, string> = {}): Promise<RenderedPanel> {
  const series: RenderedSeries[] = [];
  for (const q of p.queries) {
    const result = await api.queryRange(substitute(q.expr, vars), start, end, step);
    for (const s of result) {
      series.push({
        name: legendOf(q.legend, s.metric, p.title),
        points: (s.values ?? []).map(([t, v]) => [t * 1000, Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v)),
      });
    }
  }
  return { title: p.title, unit: p.unit, slug: slugOf(p.title), series, from: start * 1000, to: end * 1000 };
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#111217;color:#ccccdc;font:13px Inter,Helvetica,Arial,sans-serif}
h1{font-size:16px;font-weight:500;margin:12px 16px}
#grid{display:grid;grid-template-columns:repeat(2,640px);gap:8px;padding:0 16px 16px}
.panel{background:#181b1f;border:1px solid #2a2d35;border-radius:2px;width:640px;height:300px}
.panel h2{font-size:13px;font-weight:500;margin:8px 10px 0}
.chart{width:640px;height:270px}
</style></head><body><h1 id="title"></h1><div id="grid"></div></body></html>`;

/** Draws the panels and writes `<prefix>-<slug>.png` per panel and `<prefix>.png` for the grid; returns the files. */
export async function renderPanels(panels: RenderedPanel[], o: { outDir: string; prefix: string; heading: string }): Promise<string[]> {
  mkdirSync(o.outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const files: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1330, height: 400 }, deviceScaleFactor: 1 });
    await page.setContent(PAGE);
    await page.addScriptTag({ path: require.resolve('echarts/dist/echarts.min.js') });
    // tsx (esbuild keepNames) wraps named functions in __name(...): give the page that helper
    await page.addScriptTag({ content: 'window.__name = (f) => f;' });
    await page.evaluate(
      ({ panels, heading }) => {
        const w = window as unknown as { echarts: { init(el: HTMLElement, theme: string, o: object): { setOption(o: object): void } } };
        document.getElementById('title')!.textContent = heading;
        const grid = document.getElementById('grid')!;
        const fmt = (unit: string | undefined) => (v: number) => {
          if (unit === 'percentunit') return `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
          if (unit === 's') return v < 1 ? `${(v * 1000).toFixed(0)} ms` : `${v.toFixed(1)} s`;
          if (unit === 'reqps' || unit === 'ops') return `${v.toFixed(v < 10 ? 1 : 0)}/s`;
          return Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(1)}k` : `${+v.toFixed(2)}`;
        };
        for (const p of panels) {
          const el = document.createElement('div');
          el.className = 'panel';
          el.id = `panel-${p.slug}`;
          el.innerHTML = `<h2></h2><div class="chart"></div>`;
          el.querySelector('h2')!.textContent = p.title;
          grid.appendChild(el);
          const chart = w.echarts.init(el.querySelector('.chart') as HTMLElement, 'dark', { renderer: 'canvas' });
          chart.setOption({
            backgroundColor: 'transparent',
            animation: false,
            grid: { left: 64, right: 16, top: 16, bottom: 56 },
            legend: { bottom: 0, textStyle: { color: '#ccccdc' }, type: 'scroll' },
            xAxis: { type: 'time', min: p.from, max: p.to, axisLabel: { color: '#8e8e8e', hideOverlap: true } },
            yAxis: { type: 'value', axisLabel: { color: '#8e8e8e', formatter: fmt(p.unit) }, splitLine: { lineStyle: { color: '#2a2d35' } } },
            series: p.series.map((s) => ({ name: s.name, type: 'line', showSymbol: false, data: s.points, lineStyle: { width: 1.5 }, areaStyle: { opacity: 0.08 } })),
          });
        }
      },
      { panels, heading: o.heading },
    );
    await page.setViewportSize({ width: 1330, height: 60 + Math.ceil(panels.length / 2) * 308 });
    for (const p of panels) {
      const file = path.join(o.outDir, `${o.prefix}-${p.slug}.png`);
      await page.locator(`#panel-${p.slug}`).screenshot({ path: file });
      files.push(file);
    }
    const all = path.join(o.outDir, `${o.prefix}.png`);
    await page.screenshot({ path: all, fullPage: true });
    files.push(all);
  } finally {
    await browser.close();
  }
  return files;
}
