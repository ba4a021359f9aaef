import type { Deps } from '../../ports/deps';
import type { LlmSource } from '../../ports/llm';
import type { SearchHit } from '../../ports/vector-index';
import { calibratedScale, DEFAULT_FUSION_WEIGHT, effectiveAlpha } from '../search';
import type { Source } from '../conversations';
import type { SearchType } from './schemas';

/** Passages retrieved when the client does not cap them (the original used k = 10). */
export const DEFAULT_SOURCES = 10;

export type RetrievalInput = {
  userId: string;
  query: string;
  mode: SearchType;
  alpha: number;
  fileIds: string[];
  limit: number;
  signal?: AbortSignal;
};

/**
 * Searches the user's chunks of the given files; the index fuses and orders hybrid results. Hybrid
 * applies the embedder's fusion weight: the index fuses with the equivalent alpha on raw scores, and the
 * scores are scaled back so that each is `alpha·(weight·cosine) + (1−alpha)·keyword`.
 */
export async function retrieve(
  deps: Pick<Deps, 'embedder' | 'vectorIndex'>,
  input: RetrievalInput,
): Promise<SearchHit[]> {
  const { userId, query, mode, alpha, fileIds, limit, signal } = input;
  const vector =
    mode === 'keyword'
      ? undefined
      : (await deps.embedder.embed([query], { kind: 'query', signal }))[0];
  const weight = deps.embedder.fusionWeight ?? DEFAULT_FUSION_WEIGHT;
  const hits = await deps.vectorIndex.search({
    userId,
    mode,
    text: query,
    vector,
    filter: { fileIds },
    limit,
    alpha: mode === 'hybrid' ? effectiveAlpha(alpha, weight) : alpha,
  });
  if (mode !== 'hybrid' || weight === DEFAULT_FUSION_WEIGHT) return hits;
  const scale = calibratedScale(alpha, weight);
  return hits.map((hit) => ({ ...hit, score: hit.score * scale }));
}

export function toSource(hit: SearchHit): Source {
  const { chunk } = hit;
  return {
    source: chunk.filename,
    source_filename: chunk.filename,
    file_id: chunk.fileId,
    page: chunk.page,
    page_label: chunk.pageLabel,
    section: chunk.section,
    score: Math.round(hit.score * 1e6) / 1e6,
    content_snippet: chunk.content,
    is_web_search: false,
  };
}

export function toLlmSource(source: Source): LlmSource {
  return {
    filename: source.source_filename,
    page: source.page,
    pageLabel: source.page_label,
    section: source.section,
    content: source.content_snippet,
    score: source.score,
  };
}

/**
 * Retrieval for a question that asks two things ("Who launched PDF.js, and who wrote the Bitcoin
 * paper?"): each part is searched on its own and the hits are interleaved, so both documents reach
 * the answerer; a question asking one thing is one search.
 */
export async function retrieveParts(
  deps: Pick<Deps, 'embedder' | 'vectorIndex'>,
  input: RetrievalInput,
  parts: string[],
): Promise<SearchHit[]> {
  if (parts.length < 2) return retrieve(deps, input);
  const lists = await Promise.all(parts.map((query) => retrieve(deps, { ...input, query })));
  const seen = new Set<string>();
  const out: SearchHit[] = [];
  for (let i = 0; out.length < input.limit && lists.some((l) => i < l.length); i++) {
    for (const list of lists) {
      const hit = list[i];
      if (!hit || seen.has(hit.chunk.id) || out.length >= input.limit) continue;
      seen.add(hit.chunk.id);
      out.push(hit);
    }
  }
  // Every part gets its turn in what is chosen; what is shown is in score order (the contract's
  // "the first source is the best one").
  return out.sort((a, b) => b.score - a.score);
}
