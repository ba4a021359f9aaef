import { beforeAll, describe, expect, it } from 'vitest';

import { MSG_NUL_CHARACTER } from '@rag/core/testing';

import type { TestUser } from '../../support/users';
import { useTestApp } from '../../support/test-app';

// tRPC's own refusals (batch size, body limit, unreadable input) in the contract's words, with the
// status codes the transport gives them; and U+0000 as the router's ordinary validation failure.
const app = useTestApp({ env: { MAX_UPLOAD_MB: '1', TRPC_MAX_BATCH: '20' } });
let alice: TestUser;

beforeAll(async () => {
  alice = await app.signUp();
});

type ErrorShape = {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    path?: string;
    appCode: string | null;
    body: Record<string, unknown> | null;
    details: unknown;
    issues: { path: string[]; message: string; code: string }[] | null;
  };
};

/** One tRPC call (or a batch) over HTTP: the status and the error shapes it answered. */
async function trpc(
  path: string,
  init: { method?: string; query?: string; body?: BodyInit; type?: string } = {},
): Promise<{ status: number; errors: ErrorShape[] }> {
  const res = await fetch(`${app.url}/trpc/${path}${init.query ? `?${init.query}` : ''}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${alice.token}`,
      ...(init.type ? { 'content-type': init.type } : {}),
    },
    body: init.body,
  });
  const json = (await res.json()) as unknown;
  const items = (Array.isArray(json) ? json : [json]) as { error?: { json: ErrorShape } }[];
  return { status: res.status, errors: items.flatMap((i) => (i.error ? [i.error.json] : [])) };
}

const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;
const RAW_TEXT = /Batch call|PAYLOAD_TOO_LARGE|Maximum call|Iterator|regular expression|FormData/;

function uploadForm(bytes: number | string, name = 't.txt'): FormData {
  const form = new FormData();
  const body = typeof bytes === 'string' ? bytes : 'x'.repeat(bytes);
  form.append('file', new File([body], name, { type: 'text/plain' }));
  return form;
}

describe('U+0000 on tRPC: the validation error, with its issue', () => {
  it('a query input', async () => {
    const res = await trpc('auth.session', { query: input({ json: { x: 'a\u0000b' } }) });
    expect(res.status).toBe(422);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]?.message).toBe('Dữ liệu không hợp lệ');
    expect(res.errors[0]?.data).toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      httpStatus: 422,
      appCode: null,
      body: null,
      issues: [{ path: ['x'], message: MSG_NUL_CHARACTER, code: 'custom' }],
    });
  });

  it('an upload field and an upload filename', async () => {
    const form = uploadForm('abc\n');
    form.append('category', 'a\u0000b');
    const field = await trpc('files.upload', { body: form });
    expect(field.status).toBe(422);
    expect(field.errors[0]?.message).toBe('Dữ liệu không hợp lệ');
    expect(field.errors[0]?.data.issues).toEqual([
      { path: ['category'], message: MSG_NUL_CHARACTER, code: 'custom' },
    ]);
    const named = await trpc('files.upload', { body: uploadForm('abc\n', 'a\u0000b.txt') });
    expect(named.status).toBe(422);
    expect(named.errors[0]?.data.issues).toEqual([
      { path: ['file'], message: MSG_NUL_CHARACTER, code: 'custom' },
    ]);
  });
});

describe("tRPC's own refusals are Vietnamese, never the library's or the runtime's text", () => {
  it('a batch over TRPC_MAX_BATCH: 400', async () => {
    const paths = Array.from({ length: 21 }, () => 'files.list').join(',');
    const res = await trpc(paths, { query: `batch=1&${input({})}` });
    expect(res.status).toBe(400);
    expect(res.errors[0]?.message).toBe(
      'Yêu cầu gộp (batch) có quá nhiều lệnh gọi; hãy chia thành nhiều yêu cầu nhỏ hơn',
    );
    expect(res.errors[0]?.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    // Within the limit the batch still runs.
    const ok = Array.from({ length: 20 }, () => 'files.list').join(',');
    expect((await trpc(ok, { query: `batch=1&${input({})}` })).status).toBe(200);
  });

  it('an upload over MAX_UPLOAD_MB: 413 with the documented upload body', async () => {
    const res = await trpc('files.upload', { body: uploadForm(1024 * 1024 + 4096) });
    expect(res.status).toBe(413);
    const [err] = res.errors;
    expect(err?.message).toBe('File vượt quá giới hạn 1 MB');
    expect(err?.data).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      httpStatus: 413,
      appCode: 'PAYLOAD_TOO_LARGE',
      details: { kind: 'upload_refused', filename: '' },
    });
    // Key order is on the wire, as for REST's body.
    expect(JSON.stringify(err?.data.body)).toBe(
      '{"filename":"","status":"error","message":"File vượt quá giới hạn 1 MB"}',
    );
  });

  it.each([
    ['a Map from a non-entry', { json: { x: ['a'] }, meta: { values: { x: ['map'] } } }],
    ['an invalid RegExp', { json: { x: '/(/' }, meta: { values: { x: ['regexp'] } } }],
    ['a Set from a number', { json: { x: 1 }, meta: { values: { x: ['set'] } } }],
  ])('superjson meta that cannot be decoded (%s): 400', async (_name, payload) => {
    const res = await trpc('auth.signIn', {
      body: JSON.stringify(payload),
      type: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.errors[0]?.message).toBe('Dữ liệu không hợp lệ');
    expect(res.errors[0]?.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
  });

  it('a query input that is not JSON: 400', async () => {
    const res = await trpc('files.list', { query: 'input=%7Bnot-json' });
    expect(res.status).toBe(400);
    expect(res.errors[0]?.message).toBe('Dữ liệu không hợp lệ');
  });

  it('a multipart body that cannot be read: 400 with the upload body', async () => {
    const truncated =
      '--zz\r\nContent-Disposition: form-data; name="file"; filename="t.txt"\r\n\r\nabc';
    for (const type of ['multipart/form-data; boundary=zz', 'multipart/form-data']) {
      const res = await trpc('files.upload', { body: truncated, type });
      expect(res.status).toBe(400);
      const [err] = res.errors;
      expect(err?.message).toBe('Dữ liệu multipart không hợp lệ: không đọc được nội dung');
      expect(err?.data).toMatchObject({ appCode: 'BAD_REQUEST', httpStatus: 400 });
      expect(err?.data.body).toEqual({
        filename: '',
        status: 'error',
        message: 'Dữ liệu multipart không hợp lệ: không đọc được nội dung',
      });
    }
  });

  it('an unknown procedure and a wrong method keep their statuses', async () => {
    const missing = await trpc('files.nope');
    expect([missing.status, missing.errors[0]?.message]).toEqual([
      404,
      'Không tìm thấy thủ tục (procedure) được yêu cầu',
    ]);
    const method = await trpc('files.resetCollection');
    expect([method.status, method.errors[0]?.message]).toEqual([
      405,
      'Phương thức HTTP không được hỗ trợ cho thủ tục này',
    ]);
  });

  it('no answer carries the raw texts', async () => {
    const paths = Array.from({ length: 21 }, () => 'files.list').join(',');
    const answers = await Promise.all([
      trpc(paths, { query: `batch=1&${input({})}` }),
      trpc('files.upload', { body: uploadForm(1024 * 1024 + 1) }),
      trpc('files.upload', { body: '--zz\r\n', type: 'multipart/form-data; boundary=zz' }),
    ]);
    for (const { errors } of answers) {
      expect(errors).toHaveLength(1);
      const shown = errors.map((e) => [e.message, e.data.body?.message ?? '']);
      expect(JSON.stringify(shown)).not.toMatch(RAW_TEXT);
    }
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});
