import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

import type { Deps } from '../../ports/deps';
import { AppError } from '../../errors';
import {
  chunkOptionsOf,
  chunkSegments,
  documentBudget,
  isSupportedExtension,
  parseDocument,
  type Segment,
} from '../files';
import { contentTypeFor } from './content-type';
import type { FilePageResponse } from './schemas';

type ContentDeps = Pick<Deps, 'files' | 'blobs' | 'env'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fileNotFound = (id: string) => new AppError('NOT_FOUND', `File ${id} không tồn tại`);

/** The caller's indexed file (the same 404 for someone else's id and a missing one). */
async function ownedFile(deps: ContentDeps, userId: string, fileId: string) {
  if (!UUID.test(fileId)) throw fileNotFound(fileId);
  const [row] = await deps.files.findIndexed(userId, { id: fileId });
  if (!row) throw fileNotFound(fileId);
  return row;
}

export type FileContent = {
  filename: string;
  contentType: string;
  size: number;
  open(): Readable;
};

/** The stored original of one of the caller's files, opened lazily so nothing leaks on a 404. */
export async function fileContent(
  deps: ContentDeps,
  userId: string,
  fileId: string,
): Promise<FileContent> {
  const row = await ownedFile(deps, userId, fileId);
  return {
    filename: row.filename,
    contentType: contentTypeFor(row.extension),
    size: row.size,
    open: () => createReadStream(deps.blobs.path(row.storageKey)),
  };
}

/**
 * One page's extracted text and the chunks on it. The index port offers no read-back of a file's
 * chunks, so the stored original is re-parsed and re-chunked with the ingestion's parser, chunker and
 * settings; this yields the same chunks (index, page, offsets) as long as CHUNK_SIZE/CHUNK_OVERLAP are
 * unchanged since the upload. Parsing stops once the page has been passed.
 */
export async function filePage(
  deps: ContentDeps,
  userId: string,
  fileId: string,
  page: number,
): Promise<FilePageResponse> {
  const row = await ownedFile(deps, userId, fileId);
  const pageCount = row.pageCount ?? 0;
  if (page > pageCount) {
    throw new AppError(
      'NOT_FOUND',
      pageCount === 0
        ? `File ${fileId} không có trang (không phải tài liệu phân trang)`
        : `Trang ${page} không tồn tại trong file ${fileId} (có ${pageCount} trang)`,
    );
  }
  if (!isSupportedExtension(row.extension)) throw fileNotFound(fileId);
  const budget = documentBudget(deps.env);
  const doc = await parseDocument(deps.blobs.path(row.storageKey), row.extension, budget);

  const onPage: Segment[] = [];
  let passed = false;
  async function* watched(): AsyncGenerator<Segment> {
    for await (const seg of doc.segments) {
      if (seg.page !== null && seg.page > page) passed = true;
      if (seg.page === page) onPage.push(seg);
      yield seg;
    }
  }
  const chunks: { chunkIndex: number; charStart: number; charEnd: number }[] = [];
  for await (const c of chunkSegments(watched(), chunkOptionsOf(deps.env))) {
    if (c.page === page)
      chunks.push({ chunkIndex: c.index, charStart: c.charStart, charEnd: c.charEnd });
    else if (passed && c.page !== null && c.page > page) break;
  }

  // The page's text in document coordinates: segments at their offsets, gaps (line breaks) as '\n'.
  const base = onPage[0]?.offset ?? 0;
  let text = '';
  for (const seg of onPage) {
    const at = seg.offset - base;
    if (at > text.length) text += '\n'.repeat(at - text.length);
    text = text.slice(0, at) + seg.text;
  }
  return {
    file_id: row.id,
    filename: row.filename,
    page,
    page_count: pageCount,
    text,
    chunks: chunks.map((c) => ({
      chunk_index: c.chunkIndex,
      start: c.charStart - base,
      end: c.charEnd - base,
    })),
  };
}
