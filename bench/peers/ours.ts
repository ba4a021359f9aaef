import { retrieve, type SearchType } from '@rag/core/testing';

import { ingestCorpus, type EvalWorkspace } from '../lib/ingest-corpus';
import { rankDocuments } from '../lib/run-queries';
import { dirBytes } from './lancedb';
import type { PeerEngine, PeerFamily } from './engine';

/**
 * Our system as a user gets it: every record uploaded through the real ingestion use-case into the
 * embedded default (PGlite + in-process BM25 postings, the configured embedder), then `retrieve`, the
 * function the ask route calls, over all of the user's files. Chunks map back to records at the rank of
 * each record's best chunk. `ws` is opened by the caller (its embedder also makes the peers' vectors).
 */
export function oursFamily(ws: EvalWorkspace, opts: { alpha: number; label: string }): PeerFamily {
  return {
    name: 'ours',
    appliesTo: () => true,
    async build(input) {
      const ingest = await ingestCorpus(ws, input.records, { label: `${opts.label} ingest` });
      if (ingest.refused.length)
        process.stderr.write(`[${opts.label}] ${ingest.refused.length} records refused\n`);
      // Enough chunks that about k distinct records come back (a record is several chunks).
      const perRecord = Math.max(1, ingest.chunks / Math.max(1, ingest.documents));
      const engine = (mode: SearchType): PeerEngine => ({
        name: `ours-${mode}`,
        kind: mode === 'keyword' ? 'keyword' : 'hybrid',
        settings: {
          mode,
          alpha: mode === 'hybrid' ? opts.alpha : undefined,
          embedder: ws.deps.embedder.id,
          bm25: { k1: ws.deps.env.BM25_K1, b: ws.deps.env.BM25_B },
          keyword:
            'keywordOptions' in ws.deps.vectorIndex ? ws.deps.vectorIndex.keywordOptions : null,
          chunks: ingest.chunks,
        },
        async search(query, k) {
          const hits = await retrieve(ws.deps, {
            userId: ws.userId,
            query: query.text,
            mode,
            alpha: opts.alpha,
            fileIds: [],
            limit: Math.min(1000, Math.ceil(k * perRecord)),
          });
          return rankDocuments(hits, ingest.docsByFile, k);
        },
      });
      return {
        engines: [engine('keyword'), engine('hybrid')],
        diskBytes: () => dirBytes(ws.dataDir),
        close: () => Promise.resolve(),
      };
    },
  };
}
