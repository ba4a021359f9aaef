import { beforeAll, describe, expect, it } from 'vitest';

import type { TestUser } from '../../support/users';
import { StatusErrorBody } from '../../support/bodies';
import { useTestApp } from '../../support/test-app';

const app = useTestApp();
let alice: TestUser;

beforeAll(async () => {
  alice = await app.signUp();
});

const api = (path: string) => `${app.url}${app.deps.env.API_PREFIX}${path}`;

async function postRaw(body: string, boundary = 'XbX') {
  const res = await fetch(api('/upload'), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${alice.token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body,
  });
  const json: unknown = await res.json();
  return { status: res.status, type: res.headers.get('content-type'), body: json };
}

describe('truncated multipart (issue 10 item 1)', () => {
  it('answers the 400 upload error body when the body ends before the closing boundary', async () => {
    const truncated =
      '--XbX\r\nContent-Disposition: form-data; name="file"; filename="t.txt"\r\n\r\nHello';
    const res = await postRaw(truncated);
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/application\/json/);
    const { message, ...rest } = StatusErrorBody.parse(res.body);
    expect(rest).toEqual({ filename: 't.txt', status: 'error' });
    expect(message).toMatch(/multipart/i);
  });

  it('answers the upload error body for a body cut inside the part headers', async () => {
    const res = await postRaw('--XbX\r\nContent-Disposition: form-data; name="fi');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'error', filename: '' });
  });

  it('keeps serving and leaves no spooled file behind', async () => {
    for (let i = 0; i < 5; i++) {
      await postRaw(
        `--XbX\r\nContent-Disposition: form-data; name="file"; filename="t${i}.txt"\r\n\r\nHello`,
      );
    }
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    const list = await fetch(api('/files'), {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(await list.json()).toMatchObject({ files: [] });
  });
});
