import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testLogger, testMetrics } from '@goorm/common/testing';
import { createGatewayApp, SECURITY_HEADERS } from '../app.ts';
import { PLACEHOLDER_STYLE_HASH, placeholderPolicy } from './static.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const CSP = SECURITY_HEADERS['Content-Security-Policy']!;

/** The gateway with no app built: both apps answer the placeholder page. */
const unbuilt = () =>
  createGatewayApp({
    upstreams: { auth: 'http://127.0.0.1:9', lectures: 'http://127.0.0.1:9', carts: 'http://127.0.0.1:9', enrollment: 'http://127.0.0.1:9' },
    logger: testLogger(),
    metrics: testMetrics('gateway'),
    accessLog: false,
  });

describe('the Content-Security-Policy', () => {
  it('is the full policy: own origin only for scripts, styles, fonts, images (and data: images) and connections; no unsafe-*', () => {
    const directives = Object.fromEntries(CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources.join(' ')]));
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'frame-ancestors': "'none'",
      'object-src': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
    });
  });

  it.each(['frontend-student', 'frontend-admin'])("%s/nginx.conf sends the gateway's headers in every block that sets headers", (app) => {
    const conf = readFileSync(`${REPO}${app}/nginx.conf`, 'utf8');
    expect(/set \$csp "([^"]*)";/.exec(conf)?.[1]).toBe(CSP);
    // The server block and each location that adds its own header (nginx does not inherit add_header then).
    const blocks = conf.split(/\blocation\b/).filter((b) => b.includes('add_header'));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const block of blocks) {
      const sent = Object.fromEntries([...block.matchAll(/add_header (\S+) (\S+) always;/g)].map((m) => [m[1], m[2]]));
      expect(sent).toEqual({
        'X-Content-Type-Options': SECURITY_HEADERS['X-Content-Type-Options'],
        'Referrer-Policy': SECURITY_HEADERS['Referrer-Policy'],
        'X-Frame-Options': SECURITY_HEADERS['X-Frame-Options'],
        'Content-Security-Policy': '$csp',
      });
    }
  });
});

describe('the placeholder page of an unbuilt app', () => {
  it("allows its one <style> by hash: the gateway's policy with the hash added to style-src, nothing else", async () => {
    const res = await request(unbuilt()).get('/').expect(200);
    const style = /<style>([\s\S]*)<\/style>/.exec(res.text)![1]!;
    expect(PLACEHOLDER_STYLE_HASH).toBe(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(res.headers['content-security-policy']).toBe(CSP.replace("style-src 'self'", `style-src 'self' ${PLACEHOLDER_STYLE_HASH}`));
    expect(placeholderPolicy(CSP)).toBe(res.headers['content-security-policy']);
    // The API's answers keep the policy as it is.
    const api = await request(unbuilt()).get('/healthz').expect(200);
    expect(api.headers['content-security-policy']).toBe(CSP);
  });

  it('renders styled in Chromium under that policy, without a violation (Debian Chromium)', async () => {
    const server = http.createServer(unbuilt());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      await page.exposeBinding('__violation', (_source, v: string) => void violations.push(v));
      await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (e) => void (window as unknown as { __violation: (v: string) => void }).__violation(`${e.effectiveDirective} ${e.blockedURI}`)),
      );
      page.on('console', (m) => m.text().includes('Content Security Policy') && violations.push(m.text()));
      for (const path of ['/', '/admin/']) {
        await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
        await page.getByRole('heading', { name: '구름대학 수강신청' }).waitFor();
        // The stylesheet applied: the page is centred at 40rem.
        expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth), path).toBe('640px');
      }
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
