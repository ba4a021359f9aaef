// `pnpm build` for the gateway: one line per entry (the server, worker threads, CLIs).
import { join } from 'node:path';

import { buildService } from '../../scripts/build-service.mjs';
import { writePgTemplate } from '../../scripts/pg-template.mjs';

const out = await buildService(import.meta.dirname, {
  entries: {
    main: 'src/entry.ts',
    'pglite-worker': '../../packages/core/src/db/pglite-worker.ts',
    // The ingestion worker threads load this file (packages/core/src/adapters/workers/worker-file.ts).
    'ingest-worker': '../../packages/core/src/adapters/workers/ingest-worker.ts',
    // Makes dist/pg-template, the migrated database a fresh DATA_DIR starts from (start-up time).
    'build-pg-template': '../../packages/core/src/db/build-pg-template.ts',
  },
  copy: { drizzle: '../../packages/core/drizzle' },
  // Pure-JS packages loaded at every start, bundled (start-up time). Not express or pg: OpenTelemetry
  // instruments them by hooking their loading from node_modules.
  inline: [
    'drizzle-orm',
    'zod',
    'zod-openapi',
    '@trpc/server',
    'superjson',
    'jose',
    'busboy',
    'cors',
    'prom-client',
    'stemmer',
    'yauzl',
    // ... and what those import
    'copy-anything',
    'is-what',
    'object-assign',
    'vary',
    'pend',
    'buffer-crc32',
    'streamsearch',
    'tdigest',
    'bintrees',
  ],
  // Resolved by name at run time: the stop-word lists, OCR's trained data (ocr/tesseract-engine.ts),
  // the SQL parser's per-dialect builds (sql-analysis/parse-sql.ts) and the OpenTelemetry loader hook
  // (tracing.ts).
  link: {
    'node-sql-parser': '../../packages/core',
    'stopwords-iso': '../../packages/core',
    stopword: '../../packages/core',
    '@tesseract.js-data/eng': '../../packages/core',
    '@tesseract.js-data/vie': '../../packages/core',
    '@opentelemetry/instrumentation': '.',
  },
});
writePgTemplate(out.outdir, join(import.meta.dirname, '../..'));
console.log(
  `gateway: built ${out.outdir} (${out.inputs} inputs, ${out.externals} packages linked)`,
);
