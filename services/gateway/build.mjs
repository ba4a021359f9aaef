// `pnpm build` for the gateway: one line per entry (the server, worker threads, CLIs).
import { buildService } from '../../scripts/build-service.mjs';

const out = await buildService(import.meta.dirname, {
  entries: {
    main: 'src/entry.ts',
    'pglite-worker': '../../packages/core/src/db/pglite-worker.ts',
    // The ingestion worker threads load this file (packages/core/src/adapters/workers/worker-file.ts).
    'ingest-worker': '../../packages/core/src/adapters/workers/ingest-worker.ts',
  },
  copy: { drizzle: '../../packages/core/drizzle' },
  // Resolved by name at run time: the stop-word lists, OCR's trained data (ocr/tesseract-engine.ts),
  // and the OpenTelemetry loader hook (tracing.ts).
  link: {
    'stopwords-iso': '../../packages/core',
    stopword: '../../packages/core',
    '@tesseract.js-data/eng': '../../packages/core',
    '@tesseract.js-data/vie': '../../packages/core',
    '@opentelemetry/instrumentation': '.',
  },
});
console.log(
  `gateway: built ${out.outdir} (${out.inputs} inputs, ${out.externals} packages linked)`,
);
