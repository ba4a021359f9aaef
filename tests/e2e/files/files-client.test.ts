import { randomUUID } from 'node:crypto';

import { EventSource } from 'eventsource';
import { beforeAll, describe, expect, it } from 'vitest';

import { createRagClient, type RagClient } from '@rag/client';
import { progressBusFor, type IngestProgress } from '@rag/core';

import { makePdf } from '../../support/fixtures';
import type { TestUser } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const app = useTestApp();
let user: TestUser;
let client: RagClient;
const PROBE = 'subscription-probe';

beforeAll(async () => {
  user = await app.signUp();
  client = createRagClient({ url: `${app.url}/trpc`, getToken: () => user.token, EventSource });
});

describe('files over /trpc with the typed client', () => {
  it('uploads a FormData, follows its progress over SSE, lists and deletes it', async () => {
    const uploadId = randomUUID();
    const events: IngestProgress[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const sub = client.files.progress.subscribe(
        { upload_id: uploadId },
        {
          onData: (e) => {
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
    // Upload only once the subscription is live on the server: publish a probe event on the bus until
    // the subscriber has it (a state, not a clock). The real stages are told apart by file name.
    const probe: IngestProgress = { stage: 'stored', uploadId, fileId: null, filename: PROBE };
    await expect
      .poll(() => {
        const seen = events.some((e) => e.filename === PROBE);
        if (!seen) progressBusFor(app.deps.db).publish(user.userId, probe);
        return seen;
      })
      .toBe(true);
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
    expect(events.filter((e) => e.filename !== PROBE).map((e) => e.stage)).toEqual(
      expect.arrayContaining(['stored', 'parsed', 'embedded', 'indexed']),
    );

    const list = await client.files.list.query();
    expect(list.files.map((f) => f.id)).toEqual([res.file_id]);
    const del = await client.files.delete.mutate({ filename: res.file_id });
    expect(del.removed_points).toBe(2);
  });
});
