import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import express, { type Express } from 'express';

import type { Env } from '@rag/core';

export const WEB_APP_MISSING =
  'Ứng dụng web chưa được build. Chạy `pnpm --filter @rag/web build` rồi tải lại trang.';

/**
 * services/web/dist, beside the gateway's package (the nearest package.json above this file), from src/
 * (tsx) and from the bundle alike, whether this code sits in dist/ or in a chunk under dist/chunks/.
 */
function defaultDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return path.resolve(dir, '../web/dist');
}

/** What the app needs to know before its first request; injected into index.html as a meta tag. */
function appConfig(env: Env) {
  const google =
    Boolean(env.SUPABASE_URL && env.SUPABASE_KEY) ||
    Boolean(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET);
  return { google, api_prefix: env.API_PREFIX };
}

/**
 * The single-page app at `/app`: hashed assets cached for good, every other path under `/app` answered
 * with index.html so client-side routes survive a reload. The build is looked for on each miss, so
 * building after the gateway started works; until then `/app` explains how to build it.
 */
export function mountWebApp(app: Express, env: Env, dir = env.WEB_APP_DIR ?? defaultDir()): void {
  const indexFile = path.join(dir, 'index.html');
  const meta = `<meta name="rag-config" content="${JSON.stringify(appConfig(env)).replaceAll('"', '&quot;')}">`;
  let index: string | null = null;
  const loadIndex = () => {
    if (index === null && existsSync(indexFile))
      index = readFileSync(indexFile, 'utf8').replace('</head>', `${meta}</head>`);
    return index;
  };

  app.use(
    '/app/assets',
    express.static(path.join(dir, 'assets'), {
      immutable: true,
      maxAge: '1y',
      index: false,
    }),
  );
  app.get(['/app', '/app/{*rest}'], (req, res) => {
    const html = loadIndex();
    if (!html) {
      res.status(404).json({ detail: WEB_APP_MISSING });
      return;
    }
    // A path with a file extension is a missing file, not a client-side route.
    if (/\.[a-z0-9]+$/i.test(req.path)) {
      res.status(404).json({ detail: 'Not Found' });
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(html);
  });
}
