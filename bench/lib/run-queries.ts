import { retrieve, type SearchHit, type SearchType } from '@rag/core/testing';

import type { Query } from './beir';
import type { EvalWorkspace } from './ingest-corpus';
import { createProgress } from './progress';

export type RankedQuery = { queryId: string; ranked: string[]; ms: number };

/**
 * Chunk hits → corpus ids, each document at the rank of its best chunk (hits arrive best first).
 * A file holding several identical records ranks all of them there.
 */
export function rankDocuments(
  hits: readonly SearchHit[],
  docsByFile: ReadonlyMap<string, readonly string[]>,
  k: number,
): string[] {
  const ranked: string[] = [];
  const seen = new Set<string>();
  for (const hit of hits) {
    for (const id of docsByFile.get(hit.chunk.fileId) ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      ranked.push(id);
      if (ranked.length >= k) return ranked;
    }
  }
  return ranked;
}

export type RunOptions = {
  mode: SearchType;
  alpha: number;
  /** Documents to rank per query. */
  k: number;
  /** Chunks to ask the retrieval service for, so that about `k` distinct documents come back. */
  chunkLimit: number;
  label: string;
};

/** Runs every query through the retrieval service the ask route uses, one at a time (latency is per query). */
export async function runQueries(
  ws: EvalWorkspace,
  queries: readonly Query[],
  docsByFile: ReadonlyMap<string, readonly string[]>,
  opts: RunOptions,
): Promise<RankedQuery[]> {
  const progress = createProgress(opts.label, queries.length);
  const out: RankedQuery[] = [];
  for (const q of queries) {
    const started = performance.now();
    const hits = await retrieve(ws.deps, {
      userId: ws.userId,
      query: q.text,
      mode: opts.mode,
      alpha: opts.alpha,
      // No file filter: the whole collection of the user is searched.
      fileIds: [],
      limit: opts.chunkLimit,
    });
    const ms = performance.now() - started;
    out.push({ queryId: q.id, ranked: rankDocuments(hits, docsByFile, opts.k), ms });
    progress.tick(out.length);
  }
  return out;
}
