import { sql } from 'drizzle-orm';

import type { StoredChunk } from '../../ports/vector-index';
import type { Row } from './sql-rows';

export const CHUNK_COLUMNS = sql`id::text as id, user_id::text as user_id, file_id::text as file_id, filename, chunk_index,
  content, page, page_label, section, char_start, char_end`;

export function toStoredChunk(r: Row): StoredChunk {
  return {
    id: String(r.id),
    userId: String(r.user_id),
    fileId: String(r.file_id),
    filename: String(r.filename),
    chunkIndex: Number(r.chunk_index),
    content: String(r.content),
    page: r.page === null ? null : Number(r.page),
    pageLabel: (r.page_label as string | null) ?? null,
    section: (r.section as string | null) ?? null,
    charStart: Number(r.char_start),
    charEnd: Number(r.char_end),
  };
}
