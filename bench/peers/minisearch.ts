import { stopwords as englishStopwords } from '@orama/stopwords/english';
import MiniSearch from 'minisearch';

import type { PeerFamily } from './engine';
import { recordText } from './engine';

const OPTIONS_DOC = 'https://lucaong.github.io/minisearch/types/MiniSearch.Options.html';
const SEARCH_DOC = 'https://lucaong.github.io/minisearch/types/MiniSearch.SearchOptions.html';

/**
 * MiniSearch 7.2.0 as its docs set it up for ranked search: the default Unicode tokenizer, and
 * `processTerm` lower-casing and rejecting stop words (a falsy return drops a term, OPTIONS_DOC; the
 * English list is the one Orama's docs ship, Vietnamese gets none). Search options stay at their
 * defaults: OR of the terms, no prefix and no fuzzy matching (both are opt-in for search-as-you-type),
 * BM25+ parameters untouched ("customizing these is almost never necessary", SEARCH_DOC).
 */
export const minisearchFamily = createMinisearchFamily();

/** Diagnosis only (bench/peers/diagnose.ts): other BM25+ parameters than MiniSearch's defaults. */
export function createMinisearchFamily(
  bm25?: { k: number; b: number; d: number },
  name = 'minisearch',
  useStopWords = true,
): PeerFamily {
  return {
    name,
    appliesTo: () => true,
    build(input) {
      const stop =
        input.language === 'english' && useStopWords
          ? new Set(englishStopwords)
          : new Set<string>();
      const index = new MiniSearch<{ id: string; text: string }>({
        fields: ['text'],
        idField: 'id',
        processTerm: (term) => {
          const t = term.toLowerCase();
          return stop.has(t) ? null : t;
        },
      });
      index.addAll(input.records.map((r) => ({ id: r.id, text: recordText(r) })));
      return Promise.resolve({
        engines: [
          {
            name,
            kind: 'keyword',
            settings: {
              library: 'minisearch 7.2.0',
              stopWords: input.language === 'english' ? '@orama/stopwords/english' : 'none',
              search: 'defaults: OR, prefix off, fuzzy off, BM25+ k 1.2 b 0.7 d 0.5',
              docs: [OPTIONS_DOC, SEARCH_DOC],
            },
            search: (query, k) =>
              Promise.resolve(
                index
                  .search(query.text, bm25 ? { bm25 } : {})
                  .slice(0, k)
                  .map((r) => String(r.id)),
              ),
          },
        ],
        diskBytes: () => Promise.resolve(Buffer.byteLength(JSON.stringify(index))),
        close: () => Promise.resolve(),
      });
    },
  };
}
