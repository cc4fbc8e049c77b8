import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

/** The placeholder's one stylesheet, inline: the page has no files of its own to link. */
const PLACEHOLDER_CSS = `
  body { font-family: system-ui, -apple-system, "Apple SD Gothic Neo", "Noto Sans KR", sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.6; color: #1f2937; }
  code { background: #f3f4f6; padding: 0.1rem 0.3rem; border-radius: 0.25rem; }
  a { color: #1d4ed8; }
`;
/**
 * The placeholder's CSP: the gateway's policy (SECURITY_HEADERS, set on every answer) with this one
 * <style> element allowed by its hash, so `style-src 'self'` stays strict for everything else.
 */
export const PLACEHOLDER_STYLE_HASH = `'sha256-${createHash('sha256').update(PLACEHOLDER_CSS, 'utf8').digest('base64')}'`;
export function placeholderPolicy(policy: string): string {
  return policy.replace(/(^|;\s*)style-src ([^;]*)/, (_m, lead: string, sources: string) => `${lead}style-src ${sources} ${PLACEHOLDER_STYLE_HASH}`);
}

/** Shown while an app has not been built yet (Korean first, English second). */
export function placeholderPage(app: 'student' | 'admin'): string {
  const ko = app === 'student' ? '학생용 수강신청 앱' : '교직원용 관리 앱';
  const en = app === 'student' ? 'The student registration app' : 'The staff administration app';
  const dir = app === 'student' ? 'frontend-student' : 'frontend-admin';
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>구름대학 수강신청 · Goorm University</title>
<style>${PLACEHOLDER_CSS}</style>
</head>
<body>
<main>
<h1>구름대학 수강신청</h1>
<p>${ko}이 아직 빌드되지 않았습니다. <code>npm run build -w ${dir}</code> 후 다시 열어 주세요.</p>
<p lang="en">${en} is not built yet. Run <code>npm run build -w ${dir}</code> and reload.</p>
<p>API: <a href="/api/lectures/sections?q=%EC%9E%90%EB%A3%8C%EA%B5%AC%EC%A1%B0">/api/lectures/sections</a> (로그인 필요 · sign-in required: <code>POST /api/auth/login</code>)</p>
</main>
</body>
</html>
`;
}

/** Paths that look like files (have an extension) get a real 404, never the SPA's index.html. */
const looksLikeFile = (p: string) => path.posix.extname(p) !== '';

/**
 * Serves a built single-page app from `dist`: hashed assets cached for a year, index.html never
 * cached, and index.html for every other path so client-side routes survive a reload. When the
 * app is not built, a placeholder page instead (checked on each request until the build appears).
 */
export function spa(dist: string | undefined, app: 'student' | 'admin'): Router {
  const router = express.Router();
  const index = dist ? path.join(dist, 'index.html') : undefined;
  let built = false;
  const isBuilt = () => (built ||= !!index && existsSync(index));

  const files = dist
    ? express.static(dist, {
        index: false,
        fallthrough: true,
        setHeaders(res, file) {
          if (/[\\/]assets[\\/]/.test(file)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          else res.setHeader('Cache-Control', 'no-cache');
        },
      })
    : undefined;

  const serveIndex: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (looksLikeFile(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    if (!isBuilt()) {
      const policy = res.getHeader('Content-Security-Policy');
      if (typeof policy === 'string') res.setHeader('Content-Security-Policy', placeholderPolicy(policy));
      res.status(200).type('html').send(placeholderPage(app));
      return;
    }
    res.sendFile(index!);
  };

  router.use((req, res, next) => {
    // Source maps are not built for production (vite.config.ts); one left in dist is still not served.
    if (req.path.endsWith('.map')) return next();
    if (files && isBuilt()) return files(req, res, next);
    next();
  });
  router.use(serveIndex);
  return router;
}
