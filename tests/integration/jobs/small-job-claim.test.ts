import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { gatedEmbedder } from '../../support/embedders';
import { paragraphs } from '../../support/fixtures';
import { captureLog, testApp } from '../../support/test-app';

describe('a small upload whose claim was taken over mid-read', () => {
  it('stores no chunk and leaves the job to its new owner', async () => {
    const embedder = gatedEmbedder();
    const logs = captureLog('warn');
    const d = await testApp({ gateway: false, overrides: { embedder, log: logs.log } });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    const form = new FormData();
    form.append('file', new File([paragraphs('lease taken over', 5)], 'small.txt'));
    const accepted = await api.files.uploadAsync(form);
    await embedder.waiting;
    // What `claim` does to a row whose lease expired: another worker holds it now.
    await d.deps.database.db.execute(
      sql`update ingest_jobs set claimed_by = 'another-worker' where id = ${accepted.job_id}`,
    );
    embedder.open();
    await logs.waitFor('job taken over by another worker');
    expect(await d.deps.vectorIndex.count(user.userId, { fileIds: [accepted.file_id!] })).toBe(0);
    // Nor marked anything done: the job is the new owner's to finish.
    expect(await d.deps.jobs.get(user.userId, accepted.job_id)).toMatchObject({
      status: 'running',
    });
    expect((await api.files.list()).files).toEqual([]);
  });
});
