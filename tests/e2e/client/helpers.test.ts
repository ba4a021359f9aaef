import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  askStream,
  createRagClient,
  RagClientError,
  toRagClientError,
  TRPCClientError,
  uploadFile,
  type AskEvent,
  type RagClient,
  type UploadProgress,
} from '@rag/client';
import {
  AppError,
  createExtractiveLlm,
  ERROR_TABLE,
  type AppErrorCode,
  type Deps,
  type Llm,
} from '@rag/core/testing';

import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';
import { signUpUser, type TestUser } from '../../support/users';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');

let deps: Deps;
let gw: RunningGateway;
let user: TestUser;
let client: RagClient;
let fileId: string;

beforeAll(async () => {
  deps = await createTestDeps();
  gw = await startGateway(deps);
  user = await signUpUser(deps);
  client = createRagClient({ url: `${gw.url}/trpc`, getToken: () => user.token, EventSource });
  const bytes = readFileSync(join(CORPUS, 'md/javascript-info-variables.md'));
  const res = await uploadFile(client, new File([bytes], 'variables.md'));
  fileId = res.file_id!;
});
afterAll(async () => {
  await gw?.close();
  await deps?.close();
});

describe('askStream', () => {
  it('yields typed events and settles finalAnswer / sources / done', async () => {
    const stream = askStream(client, {
      question: 'Để tạo biến trong JavaScript, sử dụng từ khóa nào?',
      file_id: [fileId],
    });
    const events: AskEvent[] = [];
    for await (const e of stream) events.push(e);
    expect(events[0]?.event).toBe('start');
    expect(events.at(-1)?.event).toBe('end');
    const text = events.map((e) => (e.event === 'content' ? e.data.content : '')).join('');
    expect(await stream.finalAnswer()).toBe(text);
    expect(text).toMatch(/let/);
    const sources = await stream.sources();
    expect(sources.length).toBeGreaterThan(0);
    expect(sources[0]?.file_id).toBe(fileId);
    const done = await stream.done();
    expect(done.question_id).toBe((await stream.started()).question_id);
    // A second iteration replays the same events.
    const again: AskEvent[] = [];
    for await (const e of stream) again.push(e);
    expect(again).toEqual(events);
  });

  it('abort() stops the answer and rejects with ABORTED', async () => {
    const stream = askStream(client, { question: 'Biến là gì?', file_id: [fileId] });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of stream) {
        seen.push(e.event);
        if (e.event === 'start') stream.abort();
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['start']);
    expect(err).toBeInstanceOf(RagClientError);
    expect((err as RagClientError).code).toBe('ABORTED');
    await expect(stream.finalAnswer()).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it("reports the server's 400 as a RagClientError with code, status, message and body", async () => {
    const stream = askStream(client, { question: 'Không chọn tệp nào?' });
    const err = await stream.finalAnswer().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RagClientError);
    expect(err).toBeInstanceOf(TRPCClientError);
    const e = err as RagClientError;
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.status).toBe(400);
    expect(e.body?.available_file_ids).toEqual([fileId]);
    expect(e.message).toMatch(/[à-ỹ]/);
    await expect(stream.sources()).resolves.toEqual([]);
  });
});

describe('askStream when the answer fails mid-stream', () => {
  it("rejects with UPSTREAM_FAILED and the server's message from the error event", async () => {
    const base = createExtractiveLlm();
    const failing: Llm = {
      ...base,
      name: 'failing',
      // eslint-disable-next-line require-yield
      async *streamAnswer() {
        throw new AppError('UPSTREAM_FAILED', 'Mô hình ngôn ngữ không phản hồi');
      },
    };
    const d = await createTestDeps({}, { llm: failing });
    const g = await startGateway(d);
    try {
      const u = await signUpUser(d);
      const c = createRagClient({ url: `${g.url}/trpc`, getToken: () => u.token, EventSource });
      const up = await uploadFile(c, new File(['Biến được khai báo bằng let.'], 'a.txt'));
      const stream = askStream(c, { question: 'Biến khai báo thế nào?', file_id: [up.file_id] });
      const seen: string[] = [];
      const err = await (async () => {
        for await (const e of stream) seen.push(e.event);
      })().catch((e: unknown) => e);
      expect(seen.at(-1)).toBe('error');
      expect(err).toMatchObject({
        code: 'UPSTREAM_FAILED',
        message: 'Mô hình ngôn ngữ không phản hồi',
      });
      await expect(stream.finalAnswer()).rejects.toMatchObject({ code: 'UPSTREAM_FAILED' });
    } finally {
      await g.close();
      await d.close();
    }
  });
});

describe('uploadFile', () => {
  it('reports sending, the server stages, then exactly one final stage', async () => {
    const stages: UploadProgress[] = [];
    const bytes = readFileSync(join(CORPUS, 'md/thinking-in-react.md'));
    const res = await uploadFile(client, new Blob([bytes]), {
      filename: 'react.md',
      category: 'docs',
      // Wait for the server's own final stage however slow the machine (no synthesized one).
      settleMs: 120_000,
      onProgress: (p) => stages.push(p),
    });
    expect(res).toMatchObject({ filename: 'react.md', status: 'success', category: 'docs' });
    const names = stages.map((s) => s.stage);
    expect(names[0]).toBe('sending');
    expect(names.at(-1)).toBe('indexed');
    expect(names.filter((n) => n === 'indexed' || n === 'failed')).toHaveLength(1);
    expect(names).toEqual(expect.arrayContaining(['uploaded', 'parsed']));
    expect(new Set(stages.map((s) => s.uploadId)).size).toBe(1);
  });

  it('still uploads, reporting sending and the final stage, when no EventSource exists', async () => {
    expect(globalThis.EventSource).toBeUndefined(); // Node 20
    const plain = createRagClient({ url: `${gw.url}/trpc`, getToken: () => user.token });
    const stages: string[] = [];
    const res = await uploadFile(plain, new File(['Hằng số khai báo bằng const.'], 'c.txt'), {
      onProgress: (p) => stages.push(p.stage),
    });
    expect(res.status).toBe('success');
    expect(stages).toEqual(['sending', 'indexed']);
  });

  it('rejects an unsupported file with a typed error and a failed stage', async () => {
    const stages: string[] = [];
    const err = await uploadFile(client, new File(['x'], 'image.png'), {
      onProgress: (p) => stages.push(p.stage),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RagClientError);
    expect((err as RagClientError).code).toBe('BAD_REQUEST');
    expect((err as RagClientError).status).toBe(400);
    expect(stages.at(-1)).toBe('failed');
    expect(stages.filter((s) => s === 'failed')).toHaveLength(1);
  });
});

describe('RagClientError', () => {
  it('carries 401 with the Vietnamese message for a bad token', async () => {
    const c = createRagClient({ url: `${gw.url}/trpc`, getToken: () => 'not-a-token' });
    const err = await c.auth.me.query().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RagClientError);
    expect(err).toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
      message: 'Token không hợp lệ hoặc đã hết hạn',
      path: 'auth.me',
    });
  });

  it('lists the refused fields of an invalid input', async () => {
    const err = (await client.conversations.list
      .query({ page: 0, page_size: 10 })
      .catch((e: unknown) => e)) as RagClientError;
    expect(err).toBeInstanceOf(RagClientError);
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.issues?.[0]?.path).toEqual(['page']);
  });

  it('is NETWORK_ERROR with status 0 when the server cannot be reached', async () => {
    const c = createRagClient({ url: 'http://127.0.0.1:9/trpc' });
    const err = await c.files.list.query().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it("maps every tRPC code the server uses back to the domain's code", () => {
    for (const [code, { trpc, http }] of Object.entries(ERROR_TABLE)) {
      const shape = {
        code: -1,
        message: 'm',
        data: { code: trpc, httpStatus: http, appCode: null },
      };
      const e = toRagClientError(new TRPCClientError('m', { result: { error: shape } }));
      expect({ code: e.code, status: e.status }).toEqual({
        code: code as AppErrorCode,
        status: http,
      });
    }
  });
});
