import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';

/**
 * First path segments the staff web app must never answer for: every API route's (from the OpenAPI
 * document), plus the routes the document does not list (Swagger UI, the queue dashboard).
 */
export function reservedSegments(doc: Pick<OpenAPIObject, 'paths'>): Set<string> {
  const segments = new Set(['docs', 'docs-json', 'docs-yaml', 'admin', 'api']);
  for (const path of Object.keys(doc.paths)) {
    const first = path.split('/')[1];
    if (first) segments.add(first.replace(/\{.*\}/, ''));
  }
  return segments;
}

/** The built web app (vite writes it to dist/web): beside the compiled API, or from the sources in tests. */
export function webRoot(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.WEB_DIR,
    resolve(here, '../../../web'), // dist/apps/api/src → dist/web
    resolve(here, '../../../dist/web'), // apps/api/src → dist/web
  ].filter((c): c is string => !!c);
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? null;
}

/** Whether a GET of this path is the web app's: not under any API segment. */
export function isWebPath(path: string, reserved: Set<string>): boolean {
  const first = path.split('/')[1] ?? '';
  return !reserved.has(first);
}

/**
 * Serves the staff web app at `/`: its hashed assets with a long cache, and index.html for a
 * browser's GET of any other path not under an API segment (the app's routes, reloaded or bookmarked).
 * Returns false when no build is there (the API alone still works).
 */
export function mountWebApp(app: NestExpressApplication, doc: Pick<OpenAPIObject, 'paths'>): boolean {
  const root = webRoot();
  if (!root) return false;
  const reserved = reservedSegments(doc);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isWebPath(req.path, reserved)) return next();
    // A file (hashed asset, icon): sent from the build folder only (sendFile's root refuses '..'); else 404.
    if (/\.[a-z0-9]+$/i.test(req.path) && req.path !== '/index.html') {
      const hashed = req.path.startsWith('/assets/');
      return res.sendFile(req.path, { root, maxAge: hashed ? '365d' : 0, immutable: hashed }, (e) => e && next());
    }
    // A page is for a browser (Accept: text/html); any other client of an unknown path gets the API's 404.
    if (req.accepts(['json', 'html']) !== 'html') return next();
    res.sendFile('index.html', { root, headers: { 'Cache-Control': 'no-cache' } });
  });
  return true;
}
