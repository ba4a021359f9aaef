import { randomUUID } from 'node:crypto';

import { EventSource } from 'eventsource';
import { beforeAll, describe, expect, it } from 'vitest';

import { createRagClient, type RagClient } from '@rag/client';
import type { IngestProgress } from '@rag/core';

import { makePdf } from '../../support/fixtures';
import type { TestUser } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const app = useTestApp();
let user: TestUser;
let client: RagClient;

beforeAll(async () => {
  user = await app.signUp();
  client = createRagClient({ url: `${app.url}/trpc`, getToken: () => user.token, EventSource });
});

describe('files over /trpc with the typed client', () => {
  it('uploads a FormData, follows its progress over SSE, lists and deletes it', async () => {
    const uploadId = randomUUID();
    const events: IngestProgress[] = [];
    let listening: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const done = new Promise<void>((resolve, reject) => {
      const sub = client.files.progress.subscribe(
        { upload_id: uploadId },
        {
          onData: (e) => {
            // The server's first event: it is listening, so the upload below misses nothing.
            if (e.stage === 'ready') return listening();
            events.push(e);
            if (e.stage === 'indexed' || e.stage === 'failed') {
              sub.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    await ready;
    const form = new FormData();
    form.append(
      'file',
      new File(
        [Buffer.from(await makePdf(['Page one about tRPC uploads.', 'Page two.']))],
        'client.pdf',
      ),
    );
    form.append('category', 'client');
    form.append('upload_id', uploadId);
    const res = await client.files.upload.mutate(form);
    expect(res).toMatchObject({
      filename: 'client.pdf',
      status: 'success',
      chunks_count: 2,
      category: 'client',
    });
    await done;
    expect(events.map((e) => e.stage)).toEqual(
      expect.arrayContaining(['uploaded', 'parsed', 'embedded', 'indexed']),
    );

    const list = await client.files.list.query();
    expect(list.files.map((f) => f.id)).toEqual([res.file_id]);
    const del = await client.files.delete.mutate({ filename: res.file_id });
    expect(del.removed_points).toBe(2);
  });
});
