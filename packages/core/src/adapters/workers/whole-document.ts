// The one-message read of a small document (issue 17): parsed, chunked and embedded in one worker task,
// the result posted once. A streamed session costs ~10 thread hops per file (open, mode, chunks, more,
// end, embed, vectors, close…), which for a corpus of small records cost more than their parsing.
import { hashingVectorsOfWords } from '../embedding/hashing-embedder';
import { chunkSegments, type ChunkDraft, type ChunkOptions } from '../../domain/files/chunker';
import type { ParseBudget } from '../../domain/files/parsers/budget';
import { parseDocument, type SupportedExtension } from '../../domain/files/parsers/parse-document';
import { DocumentError } from '../../domain/files/parsers/types';
import { chunkFeatures, chunkWords } from './chunk-features';
import type { PackedPassage } from './packed-passage';

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
  const embedded: (readonly string[])[] = [];
  for (const f of task.files) {
    const r = await readDocument({ ...task, op: 'whole', ...f, dimensions: null });
    if ('refused' in r) {
      results.push(r);
      continue;
    }
    const { passages, embedded: words } = chunkWords(r.chunks);
    results.push({ ...r, passages, flat: null });
    embedded.push(...words);
  }
  const dim = task.dimensions;
  return {
    results,
    flat: dim === null || !embedded.length ? null : hashingVectorsOfWords(embedded, dim),
  };
}

export async function readWhole(task: WholeTask): Promise<WholeResult> {
  const r = await readDocument(task);
  return 'refused' in r ? r : { ...r, ...chunkFeatures(r.chunks, task.dimensions) };
}

/** The document parsed and chunked, or why it was refused. */
async function readDocument(
  task: WholeTask,
): Promise<
  { pageCount: number | null; chunks: ChunkDraft[] } | Extract<WholeResult, { refused: unknown }>
> {
  try {
    const doc = await parseDocument(task.path, task.ext, task.budget);
    const chunks: ChunkDraft[] = [];
    for await (const c of chunkSegments(doc.segments, task.chunks)) chunks.push(c);
    return { pageCount: doc.pageCount, chunks };
  } catch (e) {
    if (!(e instanceof DocumentError)) throw e;
    return { refused: e.problem, message: e.message };
  }
}
