// The one-message read of a small document (issue 17): parsed, chunked and embedded in one worker task,
// the result posted once. A streamed session costs ~10 thread hops per file (open, mode, chunks, more,
// end, embed, vectors, close…), which for a corpus of small records cost more than their parsing.
import { hashingVectors } from '../embedding/hashing-embedder';
import { chunkSegments, type ChunkDraft, type ChunkOptions } from '../../domain/files/chunker';
import { embeddingText } from '../../domain/files/index-chunks';
import type { ParseBudget } from '../../domain/files/parsers/budget';
import { parseDocument, type SupportedExtension } from '../../domain/files/parsers/parse-document';
import { DocumentError } from '../../domain/files/parsers/types';
import { passageTerms } from '../../domain/search/tokenizer';
import { packPassage, type PackedPassage } from './packed-passage';

export type WholeTask = {
  op: 'whole';
  path: string;
  ext: SupportedExtension;
  budget: ParseBudget;
  chunks: ChunkOptions;
  /** Hashing embeddings of this many dimensions per chunk; null: the caller embeds. */
  dimensions: number | null;
};

/**
 * A refusal is an answer, not a crash: its kind crosses the thread boundary as data. `passages`: each
 * chunk's BM25 terms (tokenized here, off the writer's thread).
 */
export type WholeResult =
  | {
      pageCount: number | null;
      chunks: ChunkDraft[];
      passages: PackedPassage[];
      flat: Float32Array | null;
    }
  | { refused: DocumentError['problem']; message: string };

/** Several small documents in one task: one result message for all of them (one vector array). */
export type WholeManyTask = Omit<WholeTask, 'op' | 'path' | 'ext' | 'budget'> & {
  op: 'whole-many';
  files: { path: string; ext: SupportedExtension; budget: ParseBudget }[];
};

/** Each file's result (its `flat` null), and all their vectors one after another in file order. */
export type WholeManyResult = { results: WholeResult[]; flat: Float32Array | null };

export async function readWholeMany(task: WholeManyTask): Promise<WholeManyResult> {
  const results: WholeResult[] = [];
  const texts: string[] = [];
  for (const f of task.files) {
    const r = await readWhole({ ...task, op: 'whole', ...f, dimensions: null });
    results.push(r);
    if ('chunks' in r) for (const c of r.chunks) texts.push(embeddingText(c));
  }
  const dim = task.dimensions;
  return { results, flat: dim === null || !texts.length ? null : hashingVectors(texts, dim) };
}

export async function readWhole(task: WholeTask): Promise<WholeResult> {
  try {
    const doc = await parseDocument(task.path, task.ext, task.budget);
    const chunks: ChunkDraft[] = [];
    for await (const c of chunkSegments(doc.segments, task.chunks)) chunks.push(c);
    const dim = task.dimensions;
    const passages = chunks.map((c) => packPassage(passageTerms(c.content)));
    if (dim === null || chunks.length === 0)
      return { pageCount: doc.pageCount, chunks, passages, flat: null };
    // Straight into the flat array that crosses the thread boundary (no per-chunk array).
    return {
      pageCount: doc.pageCount,
      chunks,
      passages,
      flat: hashingVectors(chunks.map(embeddingText), dim),
    };
  } catch (e) {
    if (!(e instanceof DocumentError)) throw e;
    return { refused: e.problem, message: e.message };
  }
}
