// `npx tsx bench/profile-build.ts [--records N] [--sql]` (issue 17 item 3): one index build through the real
// pipeline with the time of every database statement, as the gateway sees it (round trip to the PGlite
// worker; the embedded database runs one statement at a time, so this is its busy time per statement).
// Run under `node --cpu-prof --import tsx` for CPU profiles of every thread.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PgliteWorkerProxy } from '../packages/core/src/db/pglite-proxy';
import { ingestFile, ingestFiles } from '@rag/core/testing';

import { loadBeir } from './lib/beir';
import { openWorkspace, recordFilename, renderRecord } from './lib/ingest-corpus';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, '../../shared/corpus');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

// PGlite runs one statement at a time, in arrival order: a statement's busy time is from its reply back
// to the later of its sending and the previous reply (the round trip alone would count the queue).
const stats = new Map<string, { n: number; ms: number }>();
const shape = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 90);
const proto = PgliteWorkerProxy.prototype;
let lastReply = 0;
for (const op of ['query', 'exec'] as const) {
  const orig = Reflect.get(proto, op) as (...a: unknown[]) => Promise<unknown>;
  Object.defineProperty(proto, op, {
    value: async function (this: unknown, ...a: unknown[]) {
      const sent = performance.now();
      try {
        return await orig.apply(this, a);
      } finally {
        const now = performance.now();
        const key = `${op}: ${shape(String(a[0]))}`;
        const s = stats.get(key) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += now - Math.max(sent, lastReply);
        lastReply = now;
        stats.set(key, s);
      }
    },
  });
}

const ws = await openWorkspace(process.env);
const cpu = process.cpuUsage();
const t0 = performance.now();
const tick0 = process.hrtime.bigint() / 1000n;
let chunks = 0;
if (process.argv.includes('--sql')) {
  const r = await ingestFile(ws.deps, {
    userId: ws.userId,
    filename: 'dump.sql',
    source: readFileSync(join(corpusDir, 'sql/postgres-sakila-insert-data-using-copy.sql')),
  });
  chunks = r.chunksCount;
} else {
  const ds = await loadBeir(join(corpusDir, 'eval/scifact'));
  const n = Number(arg('--records') ?? ds.corpus.length);
  const taken = new Set<string>();
  const results = await ingestFiles(
    ws.deps,
    ds.corpus.slice(0, n).map((r) => ({
      userId: ws.userId,
      filename: recordFilename(r.id, taken),
      source: Buffer.from(renderRecord(r), 'utf8'),
    })),
  );
  for (const r of results) if (!(r instanceof Error) && !r.duplicate) chunks += r.chunksCount;
}
const used = process.cpuUsage(cpu);
console.log(`window ${tick0} ${process.hrtime.bigint() / 1000n}`);
const wall = (performance.now() - t0) / 1000;
console.log(
  `chunks ${chunks} wall ${wall.toFixed(1)} s CPU ${((used.user + used.system) / 1e6).toFixed(1)} s`,
);
const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
for (const [k, s] of rows)
  console.log(`${s.ms.toFixed(0).padStart(8)} ms ${String(s.n).padStart(6)}× ${k}`);
await ws.close();
