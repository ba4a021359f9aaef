import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';

import {
  createDeps,
  createHashingEmbedder,
  ingestFile,
  parseEnv,
  type Database,
} from '@rag/core/testing';

import { openTemplateDatabase } from '../../support/harness';

/** One database reopened by several composition roots, as successive server starts would. */
let database: Database;
afterAll(async () => database?.close());

const start = (
  embedder = createHashingEmbedder(),
  dataDir = mkdtempSync(join(tmpdir(), 'rag-start-')),
) =>
  createDeps(parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
    database: { ...database, close: async () => undefined },
    log: pino({ level: 'silent' }),
    embedder,
  });

describe('index signature at start-up', () => {
  it('records the embedder, accepts the same one, refuses another while documents are indexed', async () => {
    database = await openTemplateDatabase();
    const first = await start();
    await ingestFile(first, {
      userId: '0d6c3a8e-2a43-4a4c-9f55-4bb3a8f1d001',
      filename: 'a.txt',
      source: Buffer.from('some words to index'),
    });
    await first.close();

    const same = await start();
    await same.close();

    await expect(start(createHashingEmbedder(384))).rejects.toThrow(
      /built with the embedder "hashing-v1" \(768 dimensions\), but the configured embedder is "hashing-v1" \(384 dimensions\)/,
    );
    const other = {
      id: 'openai:text-embedding-3-small',
      dimensions: 768,
      embed: async (t: string[]) => t.map(() => new Array<number>(768).fill(0.1)),
    };
    await expect(start(other)).rejects.toThrow(
      /Vectors from different embedders cannot be compared/,
    );
  });

  it('lets a new embedder take over once nothing is indexed', async () => {
    const deps = await start();
    await deps.vectorIndex.reset('0d6c3a8e-2a43-4a4c-9f55-4bb3a8f1d001');
    await deps.db.delete((await import('@rag/core/testing')).schema.files);
    await deps.close();
    const small = await start(createHashingEmbedder(384));
    expect(small.embedder.dimensions).toBe(384);
    await small.close();
  });
});
