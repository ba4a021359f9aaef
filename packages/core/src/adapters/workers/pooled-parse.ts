import { MessageChannel } from 'node:worker_threads';

import type { Piscina } from 'piscina';

import type { ChunkDraft, ChunkOptions } from '../../domain/files/chunker';
import type { ParseBudget } from '../../domain/files/parsers/budget';
import type { SupportedExtension } from '../../domain/files/parsers/parse-document';
import { DocumentError, type ParsedDocument, type Segment } from '../../domain/files/parsers/types';
import type { MainMessage, ParseMessage, ParseTask, ReadMode } from './ingest-worker';
import { unpackPassage } from './packed-passage';
import { workerFailure } from './worker-failure';

/** A document being read by one worker, which also embeds its passages until the session closes. */
export type ParseSession = ParsedDocument & {
  /**
   * The document's chunks, cut in the worker, as it sent them (read either these or `segments`,
   * once); with `dimensions`, each with its hashing vector of that many floats, computed there too.
   */
  chunks: (opts: ChunkOptions, dimensions?: number | null) => AsyncGenerator<ChunkDraft[]>;
  /** Hashing embeddings computed in the session's worker (`dimensions` floats per text). */
  embed(texts: string[], dimensions: number): Promise<number[][]>;
  close: () => void;
};

/**
 * Parses in a worker and streams the segments back with backpressure: the worker sends the next
 * batch only when the consumer asks for it, so a huge document never piles up in this thread.
 */
export async function parseInPool(
  pool: Piscina,
  path: string,
  ext: SupportedExtension,
  budget: ParseBudget,
  signal?: AbortSignal,
): Promise<ParseSession> {
  const { port1, port2 } = new MessageChannel();
  const inbox: ParseMessage[] = [];
  const pending = new Map<
    number,
    { resolve: (f: Float32Array) => void; reject: (e: unknown) => void }
  >();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let closed = false;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const fail = (e: unknown) => {
    failure = e instanceof Error ? e : new Error(String(e));
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    poke();
  };
  port1.on('message', (m: ParseMessage) => {
    if (m.type === 'vectors' || m.type === 'embed-failed') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.type === 'vectors') p?.resolve(m.flat);
      else p?.reject(new Error(m.message));
      return;
    }
    inbox.push(m);
    poke();
  });
  const post = (m: MainMessage) => {
    if (!closed) port1.postMessage(m);
  };
  const close = () => {
    post('close');
    closed = true;
    port1.close();
  };
  const task: ParseTask = { op: 'parse', path, ext, budget, port: port2 };
  // The task's result and the port's messages travel on different channels: a refusal posted just
  // before the task returned can arrive after it, so only a closed port means nothing more will come.
  const portClosed = new Promise<void>((resolve) => port1.once('close', () => resolve()));
  const running = pool.run(task, { transferList: [port2] as never, signal });
  running.then(
    () => portClosed.then(() => fail(new Error('the parsing worker ended early'))),
    (e: unknown) => fail(workerFailure(e)),
  );
  const next = async (): Promise<ParseMessage> => {
    for (;;) {
      const m = inbox.shift();
      if (m) {
        if (m.type === 'refused') throw new DocumentError(m.problem, m.message);
        return m;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  let first: ParseMessage;
  try {
    first = await next();
  } catch (e) {
    close();
    throw e;
  }
  if (first.type !== 'open') throw new Error(`unexpected worker message ${first.type}`);

  /** Asks the worker for one kind of batch and yields the batches, with backpressure. */
  async function* read<T>(
    mode: ReadMode,
    items: (m: ParseMessage) => T[] | null,
  ): AsyncGenerator<T[]> {
    let ended = false;
    post(mode);
    try {
      for (;;) {
        const m = await next();
        if (m.type === 'end') {
          ended = true;
          return;
        }
        const batch = items(m);
        if (!batch) continue;
        yield batch;
        post('more');
      }
    } finally {
      // The consumer stopped early (error, abort): let the worker stop reading too.
      if (!ended) post('stop');
    }
  }
  async function* segments(): AsyncGenerator<Segment> {
    for await (const batch of read({ type: 'mode', chunks: null, dimensions: null }, (m) =>
      m.type === 'segments' ? m.segments : null,
    ))
      yield* batch;
  }
  let nextId = 0;
  return {
    pageCount: first.pageCount,
    segments: segments(),
    // Chunking and the chunks' text then never occupy this thread: only their rows arrive.
    chunks: (opts, dimensions = null) =>
      read({ type: 'mode', chunks: opts, dimensions }, (m) => {
        if (m.type !== 'chunks') return null;
        const { flat } = m;
        return m.chunks.map((c, i) => {
          const p = m.passages[i];
          const draft: ChunkDraft = p ? { ...c, passage: unpackPassage(p) } : c;
          // Views on the one transferred array (no copy per chunk).
          if (flat && dimensions)
            draft.vector = flat.subarray(i * dimensions, (i + 1) * dimensions);
          return draft;
        });
      }),
    async embed(texts, dimensions) {
      if (failure) throw failure;
      const id = nextId++;
      const flat = await new Promise<Float32Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        post({ type: 'embed', id, texts, dimensions });
      });
      return texts.map((_, i) => Array.from(flat.subarray(i * dimensions, (i + 1) * dimensions)));
    },
    close,
  };
}
