// The worker-thread side of the ingestion pool: parses documents (through the one parser entry,
// parse-document.ts), chunks them when asked and computes hashing embeddings, off the request event loop.
import type { MessagePort } from 'node:worker_threads';

import { move, transferableSymbol, valueSymbol } from 'piscina';

import { createHashingEmbedder } from '../embedding/hashing-embedder';
import { chunkSegments, type ChunkDraft, type ChunkOptions } from '../../domain/files/chunker';
import type { ParseBudget } from '../../domain/files/parsers/budget';
import { parseDocument, type SupportedExtension } from '../../domain/files/parsers/parse-document';
import { DocumentError, type Segment } from '../../domain/files/parsers/types';
import { chunkFeatures } from './chunk-features';
import type { PackedPassage } from './packed-passage';
import { readWhole, readWholeMany, type WholeManyTask, type WholeTask } from './whole-document';
import { reviewStatement } from '../../domain/sql-analysis/review-statement';
import type { SqlReviewTask } from './sql-review-pool';

export type ParseTask = {
  op: 'parse';
  path: string;
  ext: SupportedExtension;
  budget: ParseBudget;
  port: MessagePort;
};
/**
 * Worker → main messages of a parse task. After `open`, main picks what it reads (`mode`): the segments,
 * or the chunks the worker cuts from them. It answers each batch with `more` or `stop`, and may send
 * `embed` requests meanwhile (answered with `vectors`): one job, one worker, no pool slot to wait for.
 */
export type ParseMessage =
  | { type: 'open'; pageCount: number | null }
  | { type: 'segments'; segments: Segment[] }
  | {
      type: 'chunks';
      chunks: ChunkDraft[];
      passages: PackedPassage[];
      /** The chunks' hashing vectors one after another, when the mode asked for `dimensions`. */
      flat: Float32Array | null;
    }
  | { type: 'end' }
  | { type: 'refused'; problem: DocumentError['problem']; message: string }
  | { type: 'vectors'; id: number; flat: Float32Array }
  | { type: 'embed-failed'; id: number; message: string };

/** Segments (`chunks` null) or chunks, these with hashing vectors of `dimensions` floats (unless null). */
export type ReadMode = { type: 'mode'; chunks: ChunkOptions | null; dimensions: number | null };

type EmbedRequest = { type: 'embed'; id: number; texts: string[]; dimensions: number };

export type MainMessage = 'more' | 'stop' | 'close' | ReadMode | EmbedRequest;

/** Text per message: large enough to amortise the hop, small enough to bound memory. */
const BATCH_CHARS = 256 * 1024;
/**
 * Chunk messages start smaller and double up to BATCH_CHARS: main writes each message's chunks while
 * this worker parses on, so a document's index writes start early and overlap its parse instead of
 * all following it, and a long one is still written in few statements (each also updates the terms'
 * document frequencies).
 */
const FIRST_CHUNK_BATCH_CHARS = 32 * 1024;
/** A batch waiting this long goes anyway (OCR-ed pages come seconds apart: per-page progress). */
const BATCH_MS = 500;

/**
 * Batches of items (segments or chunks) of about `firstChars` characters, doubling up to BATCH_CHARS,
 * or whatever waited BATCH_MS; false once main said `stop`. The next batch is read while main handles
 * the one sent (at most one awaits its answer): parsing does not stall on main's work, and at most two
 * batches are held.
 */
async function sendBatches<T>(
  items: AsyncIterable<T>,
  length: (item: T) => number,
  send: (batch: T[]) => Promise<boolean>,
  firstChars = BATCH_CHARS,
): Promise<boolean> {
  let maxChars = firstChars;
  let batch: T[] = [];
  let chars = 0;
  let since = Date.now();
  let answered: Promise<boolean> = Promise.resolve(true);
  for await (const item of items) {
    batch.push(item);
    chars += length(item);
    if (chars >= maxChars || Date.now() - since >= BATCH_MS) {
      if (!(await answered)) return false;
      answered = send(batch);
      maxChars = Math.min(maxChars * 2, BATCH_CHARS);
      batch = [];
      chars = 0;
      since = Date.now();
    }
  }
  if (!(await answered)) return false;
  return batch.length ? send(batch) : true;
}

async function parse(task: ParseTask): Promise<void> {
  const { port } = task;
  let reply: ((r: 'more' | 'stop') => void) | null = null;
  let chooseMode: (m: ReadMode) => void = () => undefined;
  const mode = new Promise<ReadMode>((resolve) => (chooseMode = resolve));
  // The task lasts until main closes the session: its last embeddings come after the last segment.
  let closed: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (closed = resolve));
  // A `stop` or `close` can come while no batch awaits its answer (the next is being read): it holds.
  let stopped = false;
  const stop = () => {
    stopped = true;
    reply?.('stop');
    reply = null;
  };
  port.on('close', () => {
    stop();
    closed();
  });
  port.on('message', (m: MainMessage) => {
    if (typeof m === 'object') {
      if (m.type === 'mode') return chooseMode(m);
      return void answerEmbed(port, m);
    }
    if (m === 'close') {
      stop();
      return closed();
    }
    if (m === 'stop') return stop();
    reply?.(m);
    reply = null;
  });
  const ask = async (message: ParseMessage, transfer: ArrayBuffer[] = []): Promise<boolean> => {
    if (stopped) return false;
    const answer = new Promise<'more' | 'stop'>((resolve) => (reply = resolve));
    port.postMessage(message, transfer);
    return (await answer) === 'more';
  };
  try {
    const doc = await parseDocument(task.path, task.ext, task.budget);
    port.postMessage({ type: 'open', pageCount: doc.pageCount } satisfies ParseMessage);
    // Closed before reading (e.g. the job was cancelled): nothing more to send.
    const chosen = await Promise.race([mode, finished.then(() => null)]);
    if (!chosen) return;
    const { dimensions } = chosen;
    const more = chosen.chunks
      ? await sendBatches(
          chunkSegments(doc.segments, chosen.chunks),
          (c) => c.content.length,
          // Each chunk's BM25 terms too: tokenizing a streamed document's chunks held the event loop
          // (the index writes take them from here, as a small document's from `readWhole`). Their
          // vectors too: an embed request waited behind this worker's parsing of the next pages.
          (chunks) => {
            const { passages, flat } = chunkFeatures(chunks, dimensions);
            return ask(
              { type: 'chunks', chunks, passages, flat },
              flat ? [flat.buffer as ArrayBuffer] : [],
            );
          },
          FIRST_CHUNK_BATCH_CHARS,
        )
      : await sendBatches(
          doc.segments,
          (s) => s.text.length,
          (segments) => ask({ type: 'segments', segments }),
        );
    if (more) port.postMessage({ type: 'end' } satisfies ParseMessage);
    await finished;
  } catch (e) {
    // A refusal is an answer, not a crash: its kind survives the thread boundary this way.
    if (!(e instanceof DocumentError)) throw e;
    port.postMessage({
      type: 'refused',
      problem: e.problem,
      message: e.message,
    } satisfies ParseMessage);
  } finally {
    port.close();
  }
}

const embedders = new Map<number, ReturnType<typeof createHashingEmbedder>>();

async function answerEmbed(port: MessagePort, m: EmbedRequest) {
  try {
    let embedder = embedders.get(m.dimensions);
    if (!embedder) embedders.set(m.dimensions, (embedder = createHashingEmbedder(m.dimensions)));
    const vectors = await embedder.embed(m.texts, { kind: 'document' });
    const flat = new Float32Array(vectors.length * m.dimensions);
    vectors.forEach((v, i) => flat.set(v, i * m.dimensions));
    port.postMessage({ type: 'vectors', id: m.id, flat } satisfies ParseMessage, [flat.buffer]);
  } catch (e) {
    port.postMessage({ type: 'embed-failed', id: m.id, message: String(e) } satisfies ParseMessage);
  }
}

/**
 * A streamed session (`parse`, large documents), a small document read in one message (`whole`), or
 * several (`whole-many`); or a SQL statement's review (`sql-review`).
 */
export default async function run(
  task: ParseTask | WholeTask | WholeManyTask | SqlReviewTask,
): Promise<unknown> {
  if (task.op === 'parse') return parse(task);
  // The SQL reviewer's own pool runs this file too (one module for the build to emit).
  if (task.op === 'sql-review') {
    task.started?.postMessage('started');
    return reviewStatement(task.sql, task.dialects);
  }
  const result = task.op === 'whole' ? await readWhole(task) : await readWholeMany(task);
  const flat = 'flat' in result ? result.flat : null;
  if (!flat) return result;
  // The vectors' buffer moves to the main thread instead of being copied.
  return move({
    get [transferableSymbol]() {
      return [flat.buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  });
}
