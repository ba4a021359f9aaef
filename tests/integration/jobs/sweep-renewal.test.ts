import { describe, expect, it } from 'vitest';

import { ingestFiles } from '@rag/core/testing';

import { paragraphs } from '../../support/fixtures';
import { testApp, type TestApp } from '../../support/test-app';
import { gate, waitUntil } from '../../support/wait';

/** Holds every chunk write at its start: `writing` opens when one arrives, `write.open()` lets it go. */
function holdWrites(d: TestApp) {
  const writing = gate();
  const write = gate();
  const upsert = d.deps.vectorIndex.upsert.bind(d.deps.vectorIndex);
  d.deps.vectorIndex.upsert = async (...args) => {
    writing.open();
    await write.opened;
    return upsert(...args);
  };
  return { writing, write };
}

describe("the job loop's sweep", () => {
  it('leaves alone jobs launched while its lease renewal was running', async () => {
    // A long lease: the periodic sweep never runs by itself here; the test runs one.
    const d = await testApp({ gateway: false, env: { JOB_LEASE_S: '3600' } });
    const user = await d.signUp();
    await waitUntil(() => d.deps.jobRunner.running === 0, 'the start-up claim');

    const renewal = gate();
    const renew = d.deps.jobs.renew.bind(d.deps.jobs);
    let renewed: string[] | null = null;
    d.deps.jobs.renew = async (workerId, ids, seconds) => {
      renewed = ids;
      await renewal.opened;
      return renew(workerId, ids, seconds);
    };
    const { writing, write } = holdWrites(d);

    // The sweep's renewal starts with no job running, then a batch of uploads is claimed, launched and
    // reaches its write.
    const sweeping = d.deps.jobRunner.sweep();
    await waitUntil(() => renewed !== null, 'the renewal');
    const upload = ingestFiles(
      d.deps,
      ['a', 'b', 'c'].map((name) => ({
        userId: user.userId,
        filename: `${name}.txt`,
        source: Buffer.from(paragraphs(`renewal race ${name}`, 4)),
      })),
    );
    await writing.opened;
    renewal.open();
    await sweeping;
    write.open();

    // Stopped as "lease lost", the batch would be left running, claimed, until its lease ran out.
    const results = await upload;
    const chunks = results.map((r) => (r instanceof Error ? -1 : r.chunksCount));
    expect(chunks.every((n) => n > 0)).toBe(true);
    expect(renewed).toEqual([]);
    expect(await d.deps.vectorIndex.count(user.userId)).toBe(chunks.reduce((a, b) => a + b, 0));
  });

  it('keeps a batch running when one of its jobs ended alone (refused) before the sweep', async () => {
    const d = await testApp({ gateway: false, env: { JOB_LEASE_S: '3600' } });
    const user = await d.signUp();
    await waitUntil(() => d.deps.jobRunner.running === 0, 'the start-up claim');
    const { writing, write } = holdWrites(d);
    const upload = ingestFiles(d.deps, [
      { userId: user.userId, filename: 'a.txt', source: Buffer.from(paragraphs('kept a', 4)) },
      { userId: user.userId, filename: 'blank.txt', source: Buffer.from('   \n\n  ') },
      { userId: user.userId, filename: 'b.txt', source: Buffer.from(paragraphs('kept b', 4)) },
    ]);
    // The blank file is refused (its job failed, not renewable) while the batch writes the others.
    await writing.opened;
    await d.deps.jobRunner.sweep();
    write.open();
    const [a, blank, b] = await upload;
    expect(blank).toBeInstanceOf(Error);
    for (const r of [a, b]) expect(r instanceof Error ? 0 : r?.chunksCount).toBeGreaterThan(0);
  });
});
