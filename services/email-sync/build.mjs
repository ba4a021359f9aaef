// `pnpm build` for the e-mail sync service: one line per entry.
import { buildService } from '../../scripts/build-service.mjs';

const out = await buildService(import.meta.dirname, {
  entries: {
    main: 'src/main.ts',
    'cron-job': 'src/cron-job.ts',
  },
  // @rag/core finds its migrations beside the bundle at load time (as in the gateway's build).
  copy: { drizzle: '../../packages/core/drizzle' },
  link: { 'stopwords-iso': '../../packages/core', stopword: '../../packages/core' },
});
console.log(
  `email-sync: built ${out.outdir} (${out.inputs} inputs, ${out.externals} packages linked)`,
);
