import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createDeps, ingestFiles, parseEnv, type Deps } from '@rag/core/testing';

import type { CorpusRecord } from './beir';
import { createProgress } from './progress';

/** One BEIR record as the Markdown document a user would upload: the title as heading, then the text. */
export function renderRecord(r: Pick<CorpusRecord, 'title' | 'text'>): string {
  const title = r.title.replace(/\s+/g, ' ').trim();
  const text = r.text.trim();
  return title ? `# ${title}\n\n${text}\n` : `${text}\n`;
}

/** A filename for a corpus id: filesystem-safe and unique within the run (same-name uploads replace). */
export function recordFilename(id: string, taken: Set<string>): string {
  const base = id.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120) || 'doc';
  let name = `${base}.md`;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}.md`;
  taken.add(name);
  return name;
}

export type EvalWorkspace = {
  deps: Deps;
  userId: string;
  dataDir: string;
  close(): Promise<void>;
};

/**
 * The system as configured (embedder, BM25 parameters, chunking from the environment), but on a
 * throwaway DATA_DIR with its own embedded database: never a shared DATABASE_URL or Qdrant collection.
 */
export async function openWorkspace(
  env: Record<string, string | undefined>,
): Promise<EvalWorkspace> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rag-eval-'));
  const deps = await createDeps(
    parseEnv({
      ...env,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DATABASE_URL: undefined,
      QDRANT_URL: undefined,
    }),
  );
  return {
    deps,
    userId: randomUUID(),
    dataDir,
    async close() {
      await deps.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type IngestReport = {
  /** file id → the corpus ids whose rendering it holds (identical renderings are deduplicated). */
  docsByFile: Map<string, string[]>;
  documents: number;
  chunks: number;
  /** Records the pipeline refused (e.g. empty), with its message. */
  refused: { id: string; message: string }[];
  ms: number;
};

/** Records per bulk upload (`ingestFiles`: one enqueue transaction, small files indexed as batches). */
const SLICE = 500;

/** Uploads every record through the real ingestion use-case, in bulk slices (`concurrency` in flight). */
export async function ingestCorpus(
  ws: EvalWorkspace,
  corpus: readonly CorpusRecord[],
  opts: { label: string; concurrency?: number },
): Promise<IngestReport> {
  const docsByFile = new Map<string, string[]>();
  const refused: IngestReport['refused'] = [];
  const taken = new Set<string>();
  const names = corpus.map((r) => recordFilename(r.id, taken));
  const progress = createProgress(`${opts.label} ingest`, corpus.length);
  let next = 0;
  let done = 0;
  let chunks = 0;
  const worker = async () => {
    for (let from = next; from < corpus.length; from = next) {
      next += SLICE;
      const slice = corpus.slice(from, from + SLICE);
      const results = await ingestFiles(
        ws.deps,
        slice.map((record, k) => ({
          userId: ws.userId,
          filename: names[from + k] ?? `${from + k}.md`,
          source: Buffer.from(renderRecord(record), 'utf8'),
        })),
      );
      for (const [k, res] of results.entries()) {
        const record = slice[k];
        if (!record) continue;
        if (res instanceof Error) {
          refused.push({ id: record.id, message: res.message });
          continue;
        }
        if (!res.duplicate) chunks += res.chunksCount;
        const ids = docsByFile.get(res.fileId) ?? [];
        ids.push(record.id);
        docsByFile.set(res.fileId, ids);
      }
      done += slice.length;
      progress.tick(done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker));
  progress.tick(done, true);
  return {
    docsByFile,
    documents: corpus.length - refused.length,
    chunks,
    refused,
    ms: progress.elapsedMs(),
  };
}
