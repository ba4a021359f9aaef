import MiniSearch from 'minisearch';

import type { CorpusRecord } from '../beir';
import { recordFields, type PeerEngine } from './engine';

/** MiniSearch with its defaults (BM25+, Unicode word splitting, lower-casing, OR of the terms). */
export function createMiniSearchEngine(corpus: readonly CorpusRecord[], k: number): PeerEngine {
  const index = new MiniSearch<ReturnType<typeof recordFields>>({
    fields: ['title', 'text'],
    idField: 'id',
  });
  index.addAll(corpus.map(recordFields));
  return {
    name: 'minisearch',
    settings: { version: '7.2.0', fields: ['title', 'text'], options: 'defaults' },
    search: (query) =>
      Promise.resolve(
        index
          .search(query)
          .slice(0, k)
          .map((r) => String(r.id)),
      ),
  };
}
