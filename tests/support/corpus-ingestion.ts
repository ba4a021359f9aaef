import { createReadStream, existsSync } from 'node:fs';

import {
  documentedErrorBody,
  findAppError,
  ingestFile,
  listFiles,
  wholeLimit,
  type Deps,
} from '@rag/core/testing';

import {
  corpusManifest,
  corpusPath,
  expectedOutcome,
  REFUSAL_PREFIX,
  type CorpusEntry,
  type ExpectedOutcome,
} from './corpus';

export type CorpusIngestion = {
  file: string;
  expected: ExpectedOutcome;
  chunks: number;
  pages: number | null;
  /** What differs from the manifest's expectation, in words; empty when the document behaved. */
  problems: string[];
};

/**
 * Ingests one corpus document as `userId` and checks what the manifest says must happen: indexed
 * (every chunk stored, within the size budget, placed on a page for PDFs) or refused with the
 * contract's message and nothing left behind. Plain checks, so the suite (a sample) and
 * `pnpm bench corpus` (every document) share them.
 */
export async function ingestCorpusEntry(
  deps: Deps,
  userId: string,
  entry: CorpusEntry,
): Promise<CorpusIngestion> {
  const expected = expectedOutcome(entry);
  const filename = entry.file.split('/').pop() ?? entry.file;
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const blobsBefore = await deps.blobs.list();
  const attempt = ingestFile(deps, {
    userId,
    filename,
    source: createReadStream(corpusPath(entry)),
  }).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  const outcome = await attempt;
  const base = { file: entry.file, expected, chunks: 0, pages: null, problems };
  if (expected === 'indexed') {
    if ('error' in outcome) {
      problems.push(`refused: ${String(findAppError(outcome.error)?.message ?? outcome.error)}`);
      return base;
    }
    const { result } = outcome;
    check(result.chunksCount > 0, 'no chunks');
    const stored = await deps.vectorIndex.count(userId, { fileIds: [result.fileId] });
    check(stored === result.chunksCount, `${stored} chunks stored, ${result.chunksCount} made`);
    const row = (await listFiles(deps, userId)).files.find((f) => f.id === result.fileId);
    if (!row) problems.push('no file row');
    else {
      check(row.filename === filename, `file row named ${row.filename}`);
      check(row.size === entry.size, `file row size ${row.size}, file has ${entry.size}`);
      check(row.extension === `.${entry.kind}`, `file row extension ${row.extension}`);
      check(existsSync(deps.blobs.path(row.path)), 'original not kept');
    }
    if (entry.kind === 'pdf')
      check(result.pageCount === entry.pages, `${result.pageCount} pages, ${entry.pages} expected`);
    // Every chunk carries its place: within the size budget (a whole paragraph may pass CHUNK_SIZE up to
    // the whole-paragraph limit, when it ends there), pages inside the document.
    const chunking = { size: deps.env.CHUNK_SIZE, overlap: deps.env.CHUNK_OVERLAP };
    const hits = await deps.vectorIndex.search({
      userId,
      mode: 'semantic',
      text: filename,
      limit: 100,
      alpha: 1,
      filter: { fileIds: [result.fileId] },
    });
    check(hits.length === Math.min(100, result.chunksCount), `${hits.length} chunks found`);
    for (const { chunk } of hits) {
      const at = `chunk ${chunk.chunkIndex}`;
      check(chunk.content.trim().length > 0, `${at} is blank`);
      check(
        chunk.content.length <= deps.env.CHUNK_SIZE ||
          (chunk.content.length <= wholeLimit(chunking) &&
            !chunk.content.slice(-deps.env.CHUNK_SIZE / 2).includes('\n')),
        `${at} exceeds CHUNK_SIZE without ending a whole paragraph`,
      );
      check(chunk.charEnd > chunk.charStart, `${at} has an empty span`);
      if (entry.kind === 'pdf') check((chunk.page ?? 0) >= 1, `${at} has no page`);
      else check(chunk.page === null, `${at} has a page`);
    }
    return { ...base, chunks: result.chunksCount, pages: result.pageCount ?? null };
  }
  if ('result' in outcome) {
    problems.push(`indexed (${outcome.result.chunksCount} chunks), expected ${expected}`);
    return base;
  }
  const error = findAppError(outcome.error);
  check(error?.code === 'BAD_REQUEST', `error code ${String(error?.code ?? outcome.error)}`);
  const message = error?.message ?? '';
  check(REFUSAL_PREFIX[expected].test(message), `message "${message}"`);
  const body = error ? documentedErrorBody(error) : null;
  check(
    JSON.stringify(body) === JSON.stringify({ filename, status: 'error', message }),
    `body ${JSON.stringify(body)}`,
  );
  // Nothing left behind.
  const blobsAfter = await deps.blobs.list();
  check(JSON.stringify(blobsAfter) === JSON.stringify(blobsBefore), 'a blob was left behind');
  const rows = (await listFiles(deps, userId)).files;
  check(!rows.some((f) => f.filename === filename), 'a file row was left behind');
  return base;
}

/** Documents the suite must always cover besides the per-kind sample (named for why). */
const ALWAYS = [
  // The Vietnamese legal text the diacritics search test looks for.
  'pdf/an_le_so_432021AL.pdf',
  // Encrypted with an owner password only: opens without one, so it is indexed.
  'pdf/issue9972-1.pdf',
];

/**
 * What the suite ingests: for every document kind, the smallest document of each outcome (indexed or
 * refused, and why), plus the ones named above. The whole corpus runs in `pnpm bench corpus`.
 */
export function corpusSample(manifest: CorpusEntry[] = corpusManifest()): CorpusEntry[] {
  const smallest = new Map<string, CorpusEntry>();
  for (const entry of manifest) {
    const key = `${entry.kind}:${expectedOutcome(entry)}`;
    const seen = smallest.get(key);
    if (!seen || entry.size < seen.size) smallest.set(key, entry);
  }
  const picked = new Set([...smallest.values()].map((e) => e.file).concat(ALWAYS));
  return manifest.filter((e) => picked.has(e.file));
}
