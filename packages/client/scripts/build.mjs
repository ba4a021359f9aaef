// Builds the publishable package into dist/: JavaScript bundled by esbuild (ESM, no Node built-ins),
// declarations by tsc, and the server's types generated self-contained (see emit-server-types.mjs).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';

import { emitServerTypes } from './emit-server-types.mjs';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(PKG, 'dist');
const require = createRequire(import.meta.url);
/** Runtime dependencies stay imports: the app's bundler dedupes them with its own tRPC. */
const EXTERNAL = ['@trpc/client', '@trpc/server', 'eventsource-parser', 'superjson'];

rmSync(DIST, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: PKG,
    stdio: 'inherit',
  },
);
writeFileSync(join(DIST, 'server-types.d.ts'), emitServerTypes());
for (const f of readdirSync(DIST)) {
  if (/['"]@rag\/core['"/]/.test(readFileSync(join(DIST, f), 'utf8'))) {
    throw new Error(`dist/${f} still refers to @rag/core`);
  }
}

const common = {
  entryPoints: [join(PKG, 'src/index.ts')],
  bundle: true,
  format: 'esm',
  // Neutral: a Node built-in anywhere in the graph fails the build (browsers must not need one).
  platform: 'neutral',
  target: 'es2022',
  logLevel: 'warning',
};
await build({ ...common, outfile: join(DIST, 'index.js'), external: EXTERNAL });

/** Bytes of the bundle minified, then gzipped: ours alone, and with tRPC's client and superjson. */
async function size(external) {
  const out = await build({
    ...common,
    write: false,
    minify: true,
    external,
    mainFields: ['module', 'main'],
    conditions: ['import', 'browser'],
  });
  const code = out.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
const own = await size(EXTERNAL);
const all = await size([]);
const report = { client: own, clientWithTrpcAndSuperjson: all };
writeFileSync(join(DIST, 'size.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `@rag/client: ${own.min} B min, ${own.gzip} B min+gzip (with @trpc/client + superjson: ${all.gzip} B)\n`,
);
