// Index builds through the real pipeline (issue 17 item 3): every upload goes through the job queue, the
// worker pool, chunking, embedding and the pgvector + BM25 index of the embedded default. Wall time and
// the process's CPU time (every thread: gateway, PGlite worker, ingest worker) are reported: the CPU
// figure is the steadier one on a shared, loaded machine.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import { ingestFile, ingestFiles, type IngestInput } from '@rag/core/testing';

import { loadBeir } from './beir';
import { openWorkspace, recordFilename, renderRecord, type EvalWorkspace } from './ingest-corpus';

export type Run = {
  files: number;
  chunks: number;
  refused: number;
  seconds: number;
  cpuSeconds: number;
};

async function timed(f: () => Promise<{ files: number; chunks: number; refused: number }>) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const r = await f();
  const used = process.cpuUsage(cpu);
  return {
    ...r,
    seconds: Math.round(performance.now() - t) / 1000,
    cpuSeconds: Math.round((used.user + used.system) / 1000) / 1000,
  };
}

async function inWorkspace<T>(f: (ws: EvalWorkspace) => Promise<T>): Promise<T> {
  const ws = await openWorkspace(process.env);
  try {
    return await f(ws);
  } finally {
    await ws.close();
  }
}

const tally = (results: ({ chunksCount: number; duplicate: boolean } | Error)[]) => ({
  files: results.length,
  chunks: results.reduce((n, r) => n + (r instanceof Error || r.duplicate ? 0 : r.chunksCount), 0),
  refused: results.filter((r) => r instanceof Error).length,
});

const perSecond = (r: Run) => Math.round(r.chunks / r.seconds);

/** scifact as Markdown uploads: all at once (bulk), and the first `baseline` one by one vs in bulk. */
export async function scifactBuild(corpusDir: string, baseline: number) {
  const ds = await loadBeir(join(corpusDir, 'eval/scifact'));
  const taken = new Set<string>();
  const names = ds.corpus.map((r) => recordFilename(r.id, taken));
  const inputs = (userId: string, n = ds.corpus.length): IngestInput[] =>
    ds.corpus.slice(0, n).map((r, i) => ({
      userId,
      filename: names[i] ?? `${i}.md`,
      source: Buffer.from(renderRecord(r), 'utf8'),
    }));
  const full = await inWorkspace((ws) =>
    timed(async () => tally(await ingestFiles(ws.deps, inputs(ws.userId)))),
  );
  const oneByOne = await inWorkspace((ws) =>
    timed(async () => {
      const results = [];
      for (const input of inputs(ws.userId, baseline))
        results.push(await ingestFile(ws.deps, input).catch((e: Error) => e));
      return tally(results);
    }),
  );
  const bulk = await inWorkspace((ws) =>
    timed(async () => tally(await ingestFiles(ws.deps, inputs(ws.userId, baseline)))),
  );
  return { full, baseline: { records: baseline, oneByOne, bulk } };
}

/** Every corpus document of each format, uploaded together; chunks/s per format. */
export async function formatBuilds(corpusDir: string) {
  const out: Record<string, Run & { chunksPerSecond: number }> = {};
  for (const kind of ['pdf', 'docx', 'md', 'txt', 'sql']) {
    const dir = join(corpusDir, kind);
    const files = readdirSync(dir).filter((f) => f.endsWith(`.${kind}`));
    const run = await inWorkspace((ws) =>
      timed(async () =>
        tally(
          await ingestFiles(
            ws.deps,
            files.map((f) => ({
              userId: ws.userId,
              filename: f,
              source: readFileSync(join(dir, f)),
            })),
          ),
        ),
      ),
    );
    out[kind] = { ...run, chunksPerSecond: perSecond(run) };
  }
  return out;
}

/** The 2.5 MB SQL dump through the synchronous upload. */
export async function sqlDumpBuild(corpusDir: string) {
  return inWorkspace((ws) =>
    timed(async () => {
      const r = await ingestFile(ws.deps, {
        userId: randomUUID(),
        filename: 'dump.sql',
        source: readFileSync(join(corpusDir, 'sql/postgres-sakila-insert-data-using-copy.sql')),
      });
      return { files: 1, chunks: r.chunksCount, refused: 0 };
    }),
  );
}
