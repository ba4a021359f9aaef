import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deps } from '@rag/core';

import { paragraphs } from '../../support/fixtures';
import { startQdrantStandIn, type QdrantStandIn } from '../../support/qdrant-standin';
import { callerFor, createTestDeps } from '../../support/harness';
import { appErrorOf, signUpUser, type TestUser } from '../../support/users';

/** The whole files flow with QDRANT_URL set: createDeps picks the Qdrant adapter. */
let standin: QdrantStandIn;
let deps: Deps;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  standin = await startQdrantStandIn();
  deps = await createTestDeps({ QDRANT_URL: standin.url, QDRANT_COLLECTION: 'rag_test' });
  alice = await signUpUser(deps);
  bob = await signUpUser(deps);
});
afterAll(async () => {
  await deps?.close();
  await standin?.close();
});

const form = (name: string, content: string) => {
  const f = new FormData();
  f.append('file', new File([content], name));
  return f;
};

describe('files on Qdrant', () => {
  it('uses one shared collection and keeps users apart', async () => {
    expect(deps.vectorIndex.name).toBe('qdrant (rag_test)');
    const a = await callerFor(deps, alice.token);
    const b = await callerFor(deps, bob.token);
    const doc = await a.files.upload(
      form('volcano.md', `# Volcanoes\n\n${paragraphs('volcanic eruptions', 6)}`),
    );
    await b.files.upload(form('ocean.md', `# Oceans\n\n${paragraphs('ocean currents', 3)}`));
    expect([...standin.collections.keys()]).toEqual(['rag_test']);

    const hits = await deps.vectorIndex.search({
      userId: alice.userId,
      mode: 'hybrid',
      text: 'volcanic eruption',
      limit: 5,
      alpha: 0.7,
    });
    expect(hits.length).toBeGreaterThan(0);
    expect(
      hits.every((h) => h.chunk.userId === alice.userId && h.chunk.fileId === doc.file_id),
    ).toBe(true);

    expect((await appErrorOf(b.files.delete({ filename: 'volcano.md' }))).code).toBe('NOT_FOUND');
    const none = await b.files.deleteByFilter({
      filter: { must: [{ key: 'file_id', match: { value: doc.file_id } }] },
    });
    expect(none.message).toBe('Đã xóa 0 điểm dữ liệu thành công.');

    const del = await a.files.delete({ filename: doc.file_id });
    expect(del.removed_points).toBe(doc.chunks_count);
    const reset = await b.files.resetCollection();
    expect(reset.message).toBe(`Đã xóa và tạo lại collection user_${bob.userId}`);
    expect(await deps.vectorIndex.count(bob.userId)).toBe(0);
  });
});
