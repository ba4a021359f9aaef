// `pnpm eval --data <beir dir> --mode keyword|semantic|hybrid …`: retrieval quality of the real system.
// Every corpus record is uploaded through the ingestion use-case into a throwaway DATA_DIR, every query
// goes through the retrieval function the ask route uses, and chunk hits are mapped back to documents.
// Progress goes to stderr; stdout ends with the machine-readable summary line.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_FUSION_WEIGHT, QuestionRequest } from '@rag/core/testing';

import { loadBeir } from './lib/beir';
import { EVAL_USAGE, parseEvalArgs, splitQueries, type EvalArgs } from './lib/eval-args';
import { detailLine, summaryLine } from './lib/eval-report';
import { evaluate, PER_QUERY_COLUMNS, writeResult, type EvalRun } from './lib/evaluate';
import { halves, optionedIndex, readVariants } from './lib/eval-variants';
import { ingestCorpus, openWorkspace } from './lib/ingest-corpus';
import { machineInfo } from './lib/machine';
import { isScorable } from './lib/metrics';
import { sourceRevision } from './lib/revision';
import { stripDiacritics } from './lib/text';

const SWEEP = Array.from({ length: 11 }, (_, i) => i / 10);

function parseOrExit(): EvalArgs {
  try {
    return parseEvalArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${EVAL_USAGE}`);
    process.exit(2);
  }
}

const args = parseOrExit();
const outDir = resolve(args.out ?? join(dirname(fileURLToPath(import.meta.url)), 'results'));
// The default the ask route applies when the client sends no alpha.
const defaultAlpha = QuestionRequest.parse({ question: '?' }).alpha;
const alpha = args.alpha ?? defaultAlpha;

const ds = await loadBeir(args.data);
let queries = splitQueries(
  ds.queries.filter((q) => isScorable(ds.qrels.get(q.id) ?? new Map())),
  args.querySplit,
);
if (args.limitQueries) queries = queries.slice(0, args.limitQueries);
if (args.stripDiacritics) queries = queries.map((q) => ({ ...q, text: stripDiacritics(q.text) }));
const w = args.fusionWeight;
const dataset = [
  ds.name,
  args.stripDiacritics ? '+strip-diacritics' : '',
  args.querySplit ? `+${args.querySplit}-queries` : '',
  w === undefined ? '' : `+fusion-weight-${w}`,
].join('');
const fileTag = [
  ds.name,
  args.stripDiacritics ? '-nodiacritics' : '',
  args.querySplit ? `-${args.querySplit}` : '',
  w === undefined ? '' : `-w${w}`,
].join('');

const ws = await openWorkspace(process.env);
// An interrupted run still removes its throwaway DATA_DIR.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    rmSync(ws.dataDir, { recursive: true, force: true });
    process.exit(130);
  });
}
try {
  const ingest = await ingestCorpus(ws, ds.corpus, {
    label: ds.name,
    concurrency: args.concurrency,
  });
  const chunksPerDoc = ingest.chunks / Math.max(1, ingest.documents);
  // Enough chunks for about k distinct documents once several chunks of one document are merged.
  const chunkLimit = Math.min(1000, Math.ceil(args.k * Math.max(1, chunksPerDoc)));
  console.log(
    `${ds.name}: ${ingest.documents} documents → ${ingest.chunks} chunks in ${(ingest.ms / 1000).toFixed(1)} s ` +
      `(${((ingest.documents / ingest.ms) * 1000).toFixed(1)} docs/s, embedder ${ws.deps.embedder.id}, ` +
      `${ingest.refused.length} refused); ${queries.length} queries, ${chunkLimit} chunks per query`,
  );
  const setup = {
    dataset,
    revision: sourceRevision(),
    machine: machineInfo(),
    data: ds.dir,
    k: args.k,
    chunkLimit,
    stripDiacritics: args.stripDiacritics,
    querySplit: args.querySplit ?? null,
    embedder: {
      id: ws.deps.embedder.id,
      dimensions: ws.deps.embedder.dimensions,
      fusionWeight: w ?? ws.deps.embedder.fusionWeight ?? DEFAULT_FUSION_WEIGHT,
    },
    vectorIndex: ws.deps.vectorIndex.name,
    bm25: { k1: ws.deps.env.BM25_K1, b: ws.deps.env.BM25_B },
    chunking: { size: ws.deps.env.CHUNK_SIZE, overlap: ws.deps.env.CHUNK_OVERLAP },
    ingest: {
      documents: ingest.documents,
      chunks: ingest.chunks,
      seconds: ingest.ms / 1000,
      refused: ingest.refused,
    },
    queries: queries.length,
  };
  // `--fusion-weight` replaces the embedder's declared weight for the queries only (ingestion is the same).
  const queryWs =
    w === undefined
      ? ws
      : { ...ws, deps: { ...ws.deps, embedder: { ...ws.deps.embedder, fusionWeight: w } } };
  const run = (mode: EvalRun['mode'], a: number, label: string, qs = queries) =>
    evaluate(queryWs, ds, {
      queries: qs,
      docsByFile: ingest.docsByFile,
      mode,
      alpha: a,
      k: args.k,
      chunkLimit,
      label,
    });

  if (args.alphaSweep) {
    const sweep: Omit<EvalRun, 'perQuery'>[] = [];
    for (const a of SWEEP) {
      const { perQuery: _, ...r } = await run(
        'hybrid',
        a,
        `${dataset} hybrid alpha=${a.toFixed(1)}`,
      );
      sweep.push(r);
      console.log(detailLine(`${dataset} hybrid alpha=${a.toFixed(1)}`, r.metrics, r.latencyMs));
    }
    const best = sweep.reduce((b, r) => (r.metrics.ndcg10 > b.metrics.ndcg10 ? r : b));
    console.log(
      `best alpha by nDCG@10: ${best.alpha.toFixed(1)} (${best.metrics.ndcg10.toFixed(4)})`,
    );
    await writeResult(outDir, `eval-${fileTag}-alpha-sweep.json`, {
      ...setup,
      defaultAlpha,
      sweep,
    });
  }

  if (args.variants) {
    // Every variant on the same ingestion; halves are the even/odd queries (choose on one, confirm on
    // the other). Per-query nDCG is rounded to 4 decimals, so a half's mean is too.
    const index = optionedIndex(ws.deps.vectorIndex);
    const rows = [];
    // Vietnamese sets also as typed without diacritics (same ingestion).
    const querySets = [{ tag: '', qs: queries }];
    if (args.bothDiacritics)
      querySets.push({
        tag: '+strip-diacritics',
        qs: queries.map((q) => ({ ...q, text: stripDiacritics(q.text) })),
      });
    for (const v of await readVariants(args.variants)) {
      index.keywordOptions = v.options;
      for (const { tag, qs } of querySets) {
        for (const mode of args.modes) {
          const r = await run(mode, alpha, `${dataset}${tag} ${v.name} ${mode}`, qs);
          const h = halves(r);
          rows.push({
            variant: v.name,
            queries: `${dataset}${tag}`,
            options: v.options,
            mode,
            ...h,
            metrics: r.metrics,
            latencyMs: r.latencyMs,
          });
          console.log(
            `${dataset}${tag} variant=${v.name} mode=${mode} nDCG@10=${r.metrics.ndcg10.toFixed(4)} ` +
              `even=${h.even.toFixed(4)} odd=${h.odd.toFixed(4)} p50=${r.latencyMs.p50.toFixed(1)} p95=${r.latencyMs.p95.toFixed(1)}`,
          );
        }
      }
    }
    await writeResult(outDir, `eval-${fileTag}-variants.json`, { ...setup, variants: rows });
  }

  const summaries: string[] = [];
  for (const mode of args.variants ? [] : args.modes) {
    const label = mode === 'hybrid' ? `${dataset} hybrid alpha=${alpha}` : `${dataset} ${mode}`;
    const r = await run(mode, alpha, label);
    console.log(detailLine(label, r.metrics, r.latencyMs));
    const suffix = mode === 'hybrid' && alpha !== defaultAlpha ? `-alpha${alpha}` : '';
    await writeResult(outDir, `eval-${fileTag}-${mode}${suffix}.json`, {
      ...setup,
      ...r,
      perQueryColumns: PER_QUERY_COLUMNS,
    });
    summaries.push(summaryLine(dataset, mode, r.metrics, queries.length));
  }
  for (const line of summaries) console.log(line);
} finally {
  await ws.close();
}
