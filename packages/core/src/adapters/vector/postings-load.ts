import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import type { LoadedPostings } from './bm25-cache';
import { CHUNK_COLUMNS, toStoredChunk } from './chunk-rows';
import type { PostingDoc } from './posting-lists';
import { queryRows, scalarText } from './sql-rows';

/**
 * Term frequencies from a tsvector's text form (`'term':1,2,3 'it''s':4 'bare'`): one position per
 * occurrence. A hand-written scan: loading a large user parses millions of these, 8× faster than a regex.
 */
export function parseTsvector(text: string): [string, number][] {
  const QUOTE = 39;
  const out: [string, number][] = [];
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) !== QUOTE) {
      i++;
      continue;
    }
    // The lexeme runs to the next lone quote; a doubled quote is an escaped one.
    let term = '';
    let from = i + 1;
    let q = text.indexOf("'", from);
    while (q >= 0 && text.charCodeAt(q + 1) === QUOTE) {
      term += text.slice(from, q + 1);
      from = q + 2;
      q = text.indexOf("'", from);
    }
    if (q < 0) break;
    term += text.slice(from, q);
    i = q + 1;
    let tf = 1;
    if (text[i] === ':') {
      for (i++; i < text.length && text[i] !== ' '; i++) if (text[i] === ',') tf++;
    }
    out.push([term, tf]);
  }
  return out;
}

/**
 * Reads a user's chunks for the in-memory postings, with the version of the same snapshot; with their
 * embeddings when the user has at most `vectorChunks` chunks.
 */
export function loadPostings(db: Db, userId: string, vectorChunks = 0): Promise<LoadedPostings> {
  return db.transaction(
    async (tx) => {
      const stats = await queryRows(
        tx,
        sql`select version::text as version, doc_count from index_stats where user_id = ${userId}`,
      );
      const withVectors = Number(stats[0]?.doc_count ?? 0) <= vectorChunks;
      const rows = await queryRows(
        tx,
        sql`select ${CHUNK_COLUMNS}, token_count, terms::text as terms
                   ${withVectors ? sql`, embedding::text as embedding` : sql``}
            from chunks where user_id = ${userId}`,
      );
      const docs = rows.map((r): PostingDoc => ({
        id: String(r.id),
        fileId: String(r.file_id),
        tokenCount: Number(r.token_count),
        tf: parseTsvector(String(r.terms)),
        chunk: toStoredChunk(r),
        // pgvector prints float4 components as JSON numbers ("[1,-2,1e+06]").
        vector: withVectors ? (JSON.parse(String(r.embedding)) as number[]) : undefined,
      }));
      // '0' is below every version the sequence hands out.
      return { version: scalarText(stats[0]?.version) ?? '0', docs };
    },
    { isolationLevel: 'repeatable read' },
  );
}
