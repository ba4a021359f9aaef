// `npx tsx bench/compare-trees.ts <tree root> <label> [records]`: ingestion and search latency of one source
// tree's core, to compare two trees on the same machine in the same session (run each tree in turn; a
// baseline tree: `git archive <commit> | tar -x -C /tmp/base` with this checkout's node_modules linked in).
// Measures the first N scifact records through the real `ingestFile`, the 2.5 MB SQL dump, then keyword
// and hybrid search p50/p95 over the first 100 queries (275 chunks each, as `pnpm eval` asks for) once
// the in-memory copy is loaded. Prints one JSON line.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type * as RagCore from '@rag/core/testing';

import { loadBeir } from './lib/beir';
import { renderRecord } from './lib/ingest-corpus';
const [root = '.', label = 'tree', nArg] = process.argv.slice(2);
// Trees since the small public face keep ingestFile & co. in testing.ts; older ones in index.ts.
const coreSrc = `${resolve(root)}/packages/core/src`;
const entry = existsSync(`${coreSrc}/testing.ts`) ? 'testing.ts' : 'index.ts';
const core = (await import(`${coreSrc}/${entry}`)) as typeof RagCore;
const n = Number(nArg ?? 1000);
const corpus = join(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus');
const ds = await loadBeir(join(corpus, 'eval/scifact'));
const dataDir = mkdtempSync(join(tmpdir(), 'rag-cmp-'));
const deps = await core.createDeps(
  core.parseEnv({
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DATABASE_URL: undefined,
    QDRANT_URL: undefined,
  }),
);
const userId = randomUUID();
let t = performance.now();
let chunks = 0;
for (const [i, r] of ds.corpus.slice(0, n).entries()) {
  const res = await core.ingestFile(deps, {
    userId,
    filename: `d${i}.md`,
    source: Buffer.from(renderRecord(r)),
  });
  chunks += res.chunksCount;
}
const recMs = performance.now() - t;
t = performance.now();
const sqlUser = randomUUID();
const dump = await core.ingestFile(deps, {
  userId: sqlUser,
  filename: 'dump.sql',
  source: readFileSync(join(corpus, 'sql/postgres-sakila-insert-data-using-copy.sql')),
});
const sqlMs = performance.now() - t;
const queries = ds.queries.slice(0, 100);
const run = async (mode: string) => {
  const ms: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    await deps.vectorIndex.search({
      userId,
      mode: mode as 'keyword' | 'hybrid',
      text: q.text,
      limit: 275,
      alpha: 0.7,
      vector:
        mode === 'keyword'
          ? undefined
          : (await deps.embedder.embed([q.text], { kind: 'query' }))[0],
    });
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length * 0.5)]!, p95: ms[Math.floor(ms.length * 0.95)]! };
};
await run('hybrid');
await (deps.vectorIndex as { keywordCache?: { settle(): Promise<void> } }).keywordCache?.settle();
await run('hybrid');
const kw = await run('keyword');
const hy = await run('hybrid');
console.log(
  JSON.stringify({
    label,
    docs: n,
    chunks,
    recordsS: recMs / 1000,
    recordsPerS: (n / recMs) * 1000,
    chunksPerS: (chunks / recMs) * 1000,
    sqlChunks: dump.chunksCount,
    sqlS: sqlMs / 1000,
    keyword: kw,
    hybrid: hy,
  }),
);
await deps.close();
rmSync(dataDir, { recursive: true, force: true });
