// Profiling aid (issue 17 item 2): scifact records as one chunk each straight into the index, then
// keyword and hybrid queries through `retrieve` with per-query timings.
import { randomUUID } from 'node:crypto';

import { retrieve } from '@rag/core/testing';

import { loadBeir } from './lib/beir';
import { openWorkspace, renderRecord } from './lib/ingest-corpus';
import { percentile } from './lib/metrics';

const ds = await loadBeir(process.argv[2] ?? '../shared/corpus/eval/scifact');
const n = Number(process.argv[3] ?? 5000);
const ws = await openWorkspace(process.env);
try {
  const records = ds.corpus.slice(0, n);
  const t0 = performance.now();
  for (let i = 0; i < records.length; i += 256) {
    const part = records.slice(i, i + 256);
    const texts = part.map((r) => renderRecord(r));
    const vecs = await ws.deps.embedder.embed(texts);
    await ws.deps.vectorIndex.upsert(
      ws.userId,
      part.map((r, j) => ({
        id: randomUUID(),
        userId: ws.userId,
        fileId: randomUUID(),
        filename: `${r.id}.md`,
        chunkIndex: 0,
        content: texts[j] ?? '',
        page: null,
        pageLabel: null,
        section: r.title || null,
        charStart: 0,
        charEnd: (texts[j] ?? '').length,
        embedding: vecs[j] ?? [],
      })),
    );
  }
  console.log(`indexed ${records.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const queries = ds.queries.slice(0, 200);
  for (const mode of ['keyword', 'hybrid', 'keyword', 'hybrid'] as const) {
    const ms: number[] = [];
    for (const q of queries) {
      const s = performance.now();
      await retrieve(ws.deps, {
        userId: ws.userId,
        query: q.text,
        mode,
        alpha: 0.7,
        fileIds: [],
        limit: 275,
      });
      ms.push(performance.now() - s);
    }
    console.log(
      `${mode}: p50 ${percentile(ms, 50).toFixed(2)} p95 ${percentile(ms, 95).toFixed(2)} ms`,
    );
  }
} finally {
  await ws.close();
}
