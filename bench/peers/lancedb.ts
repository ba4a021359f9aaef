import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import './lancedb-quiet';

import * as lancedb from '@lancedb/lancedb';

import type { PeerEngine, PeerFamily } from './engine';
import { recordText } from './engine';
import { linearCombinationReranker } from './linear-reranker';

const FTS_DOC = 'https://docs.lancedb.com/indexing/fts-index';
const RERANK_DOC = 'https://docs.lancedb.com/reranking/index';
const VECTOR_DOC = 'https://docs.lancedb.com/indexing/vector-index';
const LINEAR_DOC = 'https://lancedb.github.io/documentation/reranking/linear_combination.html';

/** Bytes under a directory, recursively (LanceDB keeps a table as fragment and index files). */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(path) : (await stat(path)).size;
  }
  return total;
}

/**
 * LanceDB embedded (`@lancedb/lancedb` 0.31.0), one table per set with the record text and OUR vector.
 * FTS index options are the documented defaults written out (FTS_DOC: simple tokenizer, lower-case,
 * English stemming, stop words, ASCII folding, max token length 40; positions off as no phrase query is
 * run). On Vietnamese, stemming and stop words are off: the index's languages have no Vietnamese and
 * the English rules would cut syllables. No vector index: for ~100k rows or fewer the docs call one
 * "usually unnecessary overhead" (VECTOR_DOC), so the search is the exact flat scan; cosine. Hybrid = `nearestTo(vector).fullTextSearch(text).rerank(...)`, each side `limit(k)`.
 * `linearWeight` is the vector weight of the linear variant: the balance ours fuses with.
 */
export function lancedbFamily(
  linearWeight: number,
  /** Diagnosis only: `asciiFolding: false` keeps Vietnamese tone marks. */
  asciiFolding = true,
): PeerFamily {
  return {
    name: asciiFolding ? 'lancedb' : 'lancedb-no-folding',
    appliesTo: () => true,
    async build(input) {
      const english = input.language === 'english';
      const ftsOptions = {
        baseTokenizer: 'simple' as const,
        lowercase: true,
        stem: english,
        removeStopWords: english,
        language: 'English',
        asciiFolding,
        maxTokenLength: 40,
        withPosition: false,
      };
      const dir = join(input.dir, asciiFolding ? 'lancedb' : 'lancedb-no-folding');
      const db = await lancedb.connect(dir);
      const table = await db.createTable(
        'docs',
        input.records.map((r, i) => ({ id: r.id, text: recordText(r), vector: input.vectors[i]! })),
      );
      await table.createIndex('text', { config: lancedb.Index.fts(ftsOptions) });
      const rrf = await lancedb.rerankers.RRFReranker.create(60);
      const linear = linearCombinationReranker(linearWeight);
      const common = { library: '@lancedb/lancedb 0.31.0', fts: ftsOptions, ftsDoc: FTS_DOC };
      const hybrid = (
        name: string,
        reranker: lancedb.rerankers.Reranker,
        settings: Record<string, unknown>,
      ): PeerEngine => ({
        name,
        kind: 'hybrid',
        settings: { ...common, vector: 'flat scan, cosine', vectorDoc: VECTOR_DOC, ...settings },
        async search(query, k) {
          const rows = await table
            .query()
            .nearestTo(query.vector)
            .distanceType('cosine')
            .fullTextSearch(query.text)
            .rerank(reranker)
            .select(['id'])
            .limit(k)
            .toArray();
          return rows.map((r: { id: string }) => r.id);
        },
      });
      return {
        engines: [
          {
            name: 'lancedb-fts',
            kind: 'keyword',
            settings: { ...common, ranking: 'BM25, query words OR-ed (MatchQuery default)' },
            async search(query, k) {
              const rows = await table
                .query()
                .fullTextSearch(query.text)
                .select(['id'])
                .limit(k)
                .toArray();
              return rows.map((r: { id: string }) => r.id);
            },
          },
          hybrid('lancedb-hybrid-rrf', rrf, {
            reranker: 'RRFReranker k=60, the hybrid default the docs recommend',
            rerankDoc: RERANK_DOC,
          }),
          hybrid('lancedb-hybrid-linear', linear, {
            reranker: `linear combination, vector weight ${linearWeight.toFixed(3)} (ours)`,
            why:
              'the docs mark it deprecated in favour of RRF and default to 0.7; 0.7 trusts a trained ' +
              'embedding model, our hashing vectors get the weight our own fusion gives them',
            rerankDoc: LINEAR_DOC,
          }),
        ],
        diskBytes: () => dirBytes(dir),
        close: () => Promise.resolve(db.close()),
      };
    },
  };
}
