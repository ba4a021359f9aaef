import { beforeAll, describe, expect, it } from 'vitest';

import { paragraphs, uploadForm } from '../../support/fixtures';
import { readSse, type SseMessage } from '../../support/sse-client';
import { useTestApp } from '../../support/test-app';
import type { TestUser } from '../../support/users';

const app = useTestApp();
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  alice = await app.signUp();
  bob = await app.signUp();
});

const auth = (u: TestUser) => ({ authorization: `Bearer ${u.token}` });

async function progressOf(u: TestUser, fileId: string): Promise<SseMessage[]> {
  const res = await fetch(`${app.url}/api/files/${fileId}/progress`, { headers: auth(u) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const out: SseMessage[] = [];
  for await (const m of readSse(res.body!)) out.push(m);
  return out;
}

describe('jobs over REST', () => {
  it('indexing status is idle before any upload, per caller', async () => {
    const res = await fetch(`${app.url}/api/indexing/status`, { headers: auth(bob) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'idle', processed_files: 0 });
    expect((await fetch(`${app.url}/api/indexing/status`)).status).toBe(401);
  });

  it('Prefer: respond-async answers 202 with file_id and job_id; the SSE progress ends at indexed', async () => {
    const res = await fetch(`${app.url}/api/upload`, {
      method: 'POST',
      headers: { ...auth(alice), prefer: 'respond-async' },
      body: uploadForm('async.md', `# Jobs\n\n${paragraphs('durable jobs', 40)}`),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBe('respond-async');
    const body = (await res.json()) as { file_id: string; job_id: string; status: string };
    expect(body).toMatchObject({ status: 'processing', filename: 'async.md' });

    const events = await progressOf(alice, body.file_id);
    expect(events.at(-1)).toMatchObject({
      event: 'indexed',
      data: { stage: 'indexed', fileId: body.file_id, jobId: body.job_id },
    });
    expect(events.every((e) => e.event === e.data.stage)).toBe(true);
    // A finished job answers its final event at once.
    expect((await progressOf(alice, body.file_id)).map((e) => e.event)).toEqual(['indexed']);

    const status = (await (
      await fetch(`${app.url}/api/indexing/status`, { headers: auth(alice) })
    ).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'completed', processed_files: 1 });

    // Another user's file id is a 404 (JSON, before any event).
    const foreign = await fetch(`${app.url}/api/files/${body.file_id}/progress`, {
      headers: auth(bob),
    });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ detail: `File ${body.file_id} không tồn tại` });
  });

  it('?async=true works too; the synchronous upload keeps its documented body', async () => {
    const res = await fetch(`${app.url}/api/upload?async=true`, {
      method: 'POST',
      headers: auth(bob),
      body: uploadForm('bob.txt', paragraphs('bob notes', 5)),
    });
    expect(res.status).toBe(202);
    const sync = await fetch(`${app.url}/api/upload`, {
      method: 'POST',
      headers: auth(bob),
      body: uploadForm('bob2.txt', paragraphs('bob sync', 5)),
    });
    expect(sync.status).toBe(200);
    expect(await sync.json()).toMatchObject({ status: 'success', filename: 'bob2.txt' });
    const bad = await fetch(`${app.url}/api/upload?async=true`, {
      method: 'POST',
      headers: auth(bob),
      body: uploadForm('x.zip', 'zip'),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      filename: 'x.zip',
      status: 'error',
      message: 'Không hỗ trợ định dạng file .zip',
    });
    const status = (await (
      await fetch(`${app.url}/api/indexing/status`, { headers: auth(bob) })
    ).json()) as Record<string, unknown>;
    expect(status.status).toBe('error');
    expect(status.message).toBe('Lỗi khi xử lý tài liệu x.zip: Không hỗ trợ định dạng file .zip');
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await (await fetch(`${app.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(doc.paths['/api/indexing/status']?.get).toBeDefined();
    expect(doc.paths['/api/files/{file_id}/progress']?.get).toBeDefined();
    expect(Object.keys(doc.paths['/api/upload']!.post!.responses)).toContain('202');
  });
});
