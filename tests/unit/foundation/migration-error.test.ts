import { describe, expect, it } from 'vitest';

import { MigrationError } from '@rag/core/testing';

// drizzle wraps the server's error: "Failed query: …" with the Postgres message as its cause.
const failed = (query: string, server: string) =>
  new Error(`Failed query: ${query}`, { cause: new Error(server) });

describe('MigrationError', () => {
  it('names the missing pgvector extension and both fixes', () => {
    const err = new MigrationError(
      'pgvector-index',
      failed('CREATE EXTENSION IF NOT EXISTS vector;', 'extension "vector" is not available'),
    );
    expect(err.message).toContain('pgvector-index');
    expect(err.message).toContain('no pgvector extension');
    expect(err.message).toContain('extension "vector" is not available');
    expect(err.message).toContain('QDRANT_URL');
  });

  it('says which migration failed and why for any other failure', () => {
    const err = new MigrationError(
      'auth',
      failed('CREATE TABLE x ()', 'permission denied for schema public'),
    );
    expect(err.message).toContain('"auth"');
    expect(err.message).toContain('permission denied for schema public');
    expect(err.message).not.toContain('pgvector');
  });
});
