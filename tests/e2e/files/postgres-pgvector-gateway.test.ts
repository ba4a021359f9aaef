import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createDeps, parseEnv, type Deps } from '@rag/core/testing';

import { corpusPath } from '../../support/corpus';
import { createScratchDatabase, testDatabases } from '../../support/databases';
import { uploadForm } from '../../support/fixtures';
import { startGateway, type RunningGateway } from '../../support/harness';
import { ask } from '../../support/sse-client';
import { waitUntil } from '../../support/wait';

// The production path without Qdrant: DATABASE_URL on a Postgres server, vectors and BM25 in pgvector
// there, through the REST routes as a client uses them (README, "Scaling past one machine").
const postgres = testDatabases().filter((d) => d.name !== 'pglite');

async function openGateway(url: string, dataDir: string) {
  return createDeps(
    parseEnv({
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      DATABASE_POOL_MAX: '4',
      // Build the HNSW index (CREATE INDEX CONCURRENTLY) as soon as chunks arrive.
      PGVECTOR_HNSW_MIN_CHUNKS: '1',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    }),
    { log: pino({ level: 'silent' }) },
  );
}

describe.each(postgres.filter((d) => !d.pgvector))('a gateway on $name', () => {
  it('refuses to start, naming the missing pgvector and both fixes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rag-pgvec-'));
    try {
      const url = await createScratchDatabase(inject('postgresUrl'));
      await expect(openGateway(url, dataDir)).rejects.toThrow(/no pgvector extension.*QDRANT_URL/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.each(postgres.filter((d) => d.pgvector))('a gateway on $name, over REST', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-pgvec-'));
  let deps: Deps;
  let gw: RunningGateway;
  let token: string;
  const files: Record<string, string> = {};
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${gw.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    deps = await openGateway(await createScratchDatabase(inject('postgresUrl')), dataDir);
    gw = await startGateway(deps);
    const res = await fetch(`${gw.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'pgvector@example.com', password: 'Pgvector-e2e-1' }),
    });
    expect(res.status).toBe(200);
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await gw?.close();
    await deps?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('indexes uploads into pgvector and builds the HNSW index on the server', async () => {
    expect(deps.database.kind).toBe('postgres');
    expect(deps.vectorIndex.name).toBe('pgvector+bm25');
    for (const name of ['docling-wiki.md', 'thinking-in-react.md']) {
      const res = await api('/upload', {
        method: 'POST',
        body: uploadForm(name, readFileSync(corpusPath(`md/${name}`))),
      });
      const body = (await res.json()) as { status: string; file_id: string; chunks_count: number };
      expect(res.status).toBe(200);
      expect(body.status).toBe('success');
      expect(body.chunks_count).toBeGreaterThan(0);
      files[name] = body.file_id;
    }
    const query = async (q: string) =>
      ((await deps.database.db.execute(sql.raw(q))) as { rows: Record<string, unknown>[] }).rows;
    const [{ n }] = (await query('select count(*)::int as n from chunks')) as [{ n: number }];
    expect(n).toBeGreaterThan(20);
    // Built in the background once the first chunks crossed the threshold.
    await waitUntil(
      async () =>
        (
          await query(
            `select i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'chunks_embedding_hnsw_768'`,
          )
        )[0]?.indisvalid === true,
      'the HNSW index on chunks',
    );
  });

  it.each(['hybrid', 'semantic', 'keyword'])(
    'answers from the right document with %s search',
    async (searchType) => {
      const r = await ask(
        gw.url,
        {
          question: 'When was IBM founded?',
          search_type: searchType,
          file_id: Object.values(files),
        },
        { token, query: { max_sources: 3 } },
      );
      expect(r.status).toBe(200);
      expect(r.byName('end')).toHaveLength(1);
      const [sources] = r.byName('sources') as [{ sources: { source_filename: string }[] }];
      expect(sources.sources[0]?.source_filename).toBe('docling-wiki.md');
      expect(r.answer).toContain('1911');
    },
  );

  it('deletes a document’s chunks from the server', async () => {
    const res = await api(`/files/${encodeURIComponent('docling-wiki.md')}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const left = (await deps.database.db.execute(
      sql`select count(*)::int as n from chunks where file_id = ${files['docling-wiki.md']}::uuid`,
    )) as { rows: { n: number }[] };
    expect(left.rows[0]?.n).toBe(0);
    const r = await ask(
      gw.url,
      { question: 'When was IBM founded?', file_id: [files['docling-wiki.md']] },
      { token },
    );
    expect(r.status).toBe(404);
  });
});
