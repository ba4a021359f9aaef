// `pnpm build` for the gateway: one line per entry (the server, worker threads, CLIs).
import { buildService } from '../../scripts/build-service.mjs';

const out = await buildService(import.meta.dirname, {
  entries: {
    main: 'src/main.ts',
    // The ingestion worker threads load this file (packages/core/src/adapters/workers/worker-file.ts).
    'ingest-worker': '../../packages/core/src/adapters/workers/ingest-worker.ts',
  },
  copy: { drizzle: '../../packages/core/drizzle' },
  link: { 'stopwords-iso': '../../packages/core' },
});
console.log(
  `gateway: built ${out.outdir} (${out.inputs} inputs, ${out.externals} packages linked)`,
);
