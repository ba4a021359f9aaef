import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { queryRows } from './sql-rows';

/** Filtered HNSW search sets `hnsw.iterative_scan`, which pgvector has from 0.8.0 on. */
export const MIN_PGVECTOR = '0.8.0';

/** Why this pgvector version cannot serve the index, or null when it can. */
export function pgvectorVersionProblem(version: string): string | null {
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const [minMajor = 0, minMinor = 0] = MIN_PGVECTOR.split('.').map(Number);
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return null;
  // Older versions reserve the `hnsw.` settings, so every filtered semantic search would fail.
  return (
    `pgvector ${version} is older than ${MIN_PGVECTOR}, which filtered vector search needs ` +
    `(hnsw.iterative_scan). Install pgvector ≥ ${MIN_PGVECTOR} on the server and run ` +
    `ALTER EXTENSION vector UPDATE, or set QDRANT_URL to keep vectors in Qdrant.`
  );
}

/** Refuses to start on a pgvector too old for our search, naming the fix (not a failure per query). */
export async function assertPgvectorVersion(db: Db): Promise<void> {
  const rows = await queryRows(
    db,
    sql`select extversion as version from pg_extension where extname = 'vector'`,
  );
  const version = rows[0]?.version;
  if (typeof version !== 'string') return; // the migrations create it; their error names the fix
  const problem = pgvectorVersionProblem(version);
  if (problem) throw new Error(problem);
}
