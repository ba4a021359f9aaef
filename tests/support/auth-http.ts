import { randomUUID } from 'node:crypto';

import { expect } from 'vitest';
import { z } from 'zod';

import { strongPassword } from './users';

export type Json = Record<string, unknown>;
const AuthBodySchema = z.looseObject({
  user: z.object({ id: z.string(), email: z.string(), created_at: z.string() }),
  access_token: z.string(),
  refresh_token: z.string(),
});
export type AuthBody = z.infer<typeof AuthBodySchema>;
export type HttpResult = { status: number; headers: Headers; body: Json };

/** A small JSON client for the REST auth routes of a running gateway (`base` = gateway URL + API prefix). */
export function authHttp(base: () => string) {
  async function call(
    method: string,
    path: string,
    opts: { body?: unknown; raw?: string; token?: string; auth?: string } = {},
  ): Promise<HttpResult> {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined || opts.raw !== undefined)
      headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.auth) headers.authorization = opts.auth;
    const res = await fetch(`${base()}${path}`, {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : null) as Json,
    };
  }
  const post = (path: string, body?: unknown, token?: string) =>
    call('POST', path, { body, token });
  const get = (path: string, token?: string) => call('GET', path, { token });

  /** Signs a fresh user up over HTTP (unique e-mail unless given). */
  async function signUp(email = `http-${randomUUID()}@example.com`, password = strongPassword()) {
    const res = await post('/auth/signup', { email, password });
    expect(res.status).toBe(200);
    return { ...AuthBodySchema.parse(res.body), password };
  }

  /** The body problems every JSON route must reject the same way: 422 FastAPI-style, 413 when huge. */
  async function expectBodyValidation(path: string, wrongTypes: Json) {
    const malformed = await call('POST', path, { raw: '{"email": "a@b.co", ' });
    expect(malformed.status).toBe(422);
    expect(malformed.body.detail).toEqual([
      { loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid' },
    ]);
    const missing = await post(path, {});
    expect(missing.status).toBe(422);
    expect(
      (missing.body.detail as Json[]).every(
        (d) => d.msg === 'Field required' && d.type === 'missing',
      ),
    ).toBe(true);
    const types = await post(path, wrongTypes);
    expect(types.status).toBe(422);
    expect((types.body.detail as Json[]).map((d) => d.type)).toContain('string_type');
    const huge = await call('POST', path, {
      raw: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(2 << 20) }),
    });
    expect([huge.status, huge.body]).toEqual([413, { detail: 'Nội dung yêu cầu quá lớn' }]);
  }

  return { call, post, get, signUp, expectBodyValidation };
}
