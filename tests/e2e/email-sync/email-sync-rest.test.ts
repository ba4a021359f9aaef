import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deps } from '@rag/core';

import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';
import { signUpUser } from '../../support/users';

const USER_CHAT_KEYS = [
  'app_id',
  'conversation_id',
  'created_at',
  'email',
  'id',
  'name_app',
  'user_id',
];

let deps: Deps;
let gw: RunningGateway;
let ann: { userId: string };
let bob: { userId: string };

beforeAll(async () => {
  deps = await createTestDeps();
  gw = await startGateway(deps);
  ann = await signUpUser(deps, 'ann.nguyen@example.com');
  bob = await signUpUser(deps, 'bob@example.org');
});
afterAll(async () => {
  await gw.close();
  await deps.close();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${gw.url}/api/v1${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
const post = (path: string, body?: unknown) =>
  api(path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const chat = (conversation_id: string, extra: Record<string, unknown> = {}) => ({
  name_app: 'Trợ lý tuyển sinh',
  input_text: 'Cho tôi hỏi về học phí',
  output_text: 'Học phí là…',
  conversation_id,
  ...extra,
});

describe('black-box: create, sync twice everywhere, read every user-chat route', () => {
  it('ends with exactly one linked row per (e-mail, conversation) and nothing else', async () => {
    const created = [
      await post('/chat-history/', chat('c-ann-1', { email: 'Ann.Nguyen@Example.com' })),
      await post(
        '/chat-history',
        chat('c-ann-1', { input_text: '{"Email":"ann.nguyen@example.com"}' }),
      ),
      await post(
        '/chat-history/',
        chat('c-ann-2', { input_text: '{"email":"  ANN.NGUYEN@EXAMPLE.COM "}' }),
      ),
      await post(
        '/chat-history/',
        chat('c-bob-1', { email: ' bob@EXAMPLE.org', app_id: 'app-42' }),
      ),
      await post('/chat-history/', chat('c-unknown', { email: 'who@example.net' })),
      await post('/chat-history/', chat('c-none', { email: '' })),
    ];
    for (const res of created) expect(res.status).toBe(201);
    const rows = (await Promise.all(created.map((r) => r.json()))) as {
      user_id: string | null;
      log_id: number;
    }[];
    expect(rows.map((r) => r.user_id)).toEqual([
      ann.userId,
      ann.userId,
      ann.userId,
      bob.userId,
      null,
      null,
    ]);

    const endpoints = [
      ['/chat-history/sync-email-to-user-chat', 'Sync completed successfully', 'total_processed'],
      [
        '/chat-history/check-and-sync-email',
        'Checked and synced recent chat history',
        'total_checked',
      ],
      [
        '/chat-history/sync-all-pending',
        'Synced all pending chat history records',
        'total_processed',
      ],
    ] as const;
    for (const [path, message, totalKey] of endpoints) {
      for (let i = 0; i < 2; i++) {
        const res = await post(path);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({
          message,
          synced_records: 0,
          skipped_records: 2,
          [totalKey]: 2,
        });
      }
    }

    const all = (await (await api('/user-chat/')).json()) as Record<string, unknown>[];
    const again = (await (await api('/user-chat')).json()) as Record<string, unknown>[];
    expect(again).toEqual(all);
    for (const row of all) expect(Object.keys(row).sort()).toEqual(USER_CHAT_KEYS);
    expect(all.map((r) => [r.email, r.conversation_id, r.user_id]).sort()).toEqual(
      [
        ['ann.nguyen@example.com', 'c-ann-1', ann.userId],
        ['ann.nguyen@example.com', 'c-ann-2', ann.userId],
        ['bob@example.org', 'c-bob-1', bob.userId],
      ].sort(),
    );
    expect(all.find((r) => r.conversation_id === 'c-bob-1')).toMatchObject({
      app_id: 'app-42',
      name_app: 'Trợ lý tuyển sinh',
    });

    const byUser = (await (await api(`/user-chat/user/${ann.userId}`)).json()) as {
      conversation_id: string;
    }[];
    expect(byUser.map((r) => r.conversation_id).sort()).toEqual(['c-ann-1', 'c-ann-2']);
    const byEmail: unknown = await (
      await api(`/user-chat/email/${encodeURIComponent('ANN.Nguyen@example.com')}`)
    ).json();
    expect(byEmail).toEqual(byUser);
    expect(await (await api('/user-chat/email/who@example.net')).json()).toEqual([]);
    expect(
      await (await api('/user-chat/user/00000000-0000-0000-0000-000000000000')).json(),
    ).toEqual([]);
  });
});

describe('validation', () => {
  it('answers blank or malformed input with a FastAPI-style 422 naming the field', async () => {
    const cases: [unknown, string][] = [
      [chat(''), 'conversation_id'],
      [chat('c', { name_app: '   ' }), 'name_app'],
      [chat('c', { email: 'no-at-sign' }), 'email'],
      [chat('c', { input_text: 42 }), 'input_text'],
      [{ name_app: 'x', input_text: 'a', output_text: 'b' }, 'conversation_id'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/chat-history/', body);
      expect(res.status, field).toBe(422);
      const { detail } = (await res.json()) as { detail: { loc: string[]; msg: string }[] };
      expect(
        detail.some((d) => d.loc.join('.') === `body.${field}`),
        JSON.stringify(detail),
      ).toBe(true);
    }
    for (const raw of ['{"name_app":', '[]', '"text"']) {
      const res = await api('/chat-history/', { method: 'POST', body: raw });
      expect(res.status, raw).toBe(422);
    }
    expect((await api('/user-chat/email/not-an-email')).status).toBe(422);
    expect((await api('/user-chat/?limit=0')).status).toBe(422);
    expect((await api('/user-chat/?limit=abc')).status).toBe(422);
    expect((await api('/user-chat/user/%20')).status).toBe(422);
  });
});

describe('OpenAPI', () => {
  it('documents every e-mail sync route with its schemas and the service security', async () => {
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { security?: unknown; responses: Record<string, unknown> }>
      >;
    };
    const routes: [string, string, string][] = [
      ['post', '/api/v1/chat-history', '201'],
      ['post', '/api/v1/chat-history/sync-email-to-user-chat', '200'],
      ['post', '/api/v1/chat-history/check-and-sync-email', '200'],
      ['post', '/api/v1/chat-history/sync-all-pending', '200'],
      ['get', '/api/v1/user-chat', '200'],
      ['get', '/api/v1/user-chat/user/{user_id}', '200'],
      ['get', '/api/v1/user-chat/email/{email}', '200'],
    ];
    for (const [method, path, status] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op!.responses[status]).toBeDefined();
      expect(op!.responses['401']).toBeDefined();
      expect(op!.security).toEqual([{ bearer: [] }]);
    }
  });
});

describe('access with SERVICE_API_KEY', () => {
  it('401s without the key (even on loopback) and serves with it', async () => {
    const keyed = await createTestDeps({ SERVICE_API_KEY: 'svc-0123456789abcdef' });
    const keyedGw = await startGateway(keyed);
    try {
      const call = (path: string, method: string, token?: string) =>
        fetch(`${keyedGw.url}/api/v1${path}`, {
          method,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
      for (const [path, method] of [
        ['/chat-history/sync-all-pending', 'POST'],
        ['/chat-history/check-and-sync-email', 'POST'],
        ['/user-chat/', 'GET'],
        ['/user-chat/email/a@b.c', 'GET'],
      ] as const) {
        for (const token of [undefined, 'wrong']) {
          const res = await call(path, method, token);
          expect(res.status, `${method} ${path} ${token}`).toBe(401);
          expect(res.headers.get('www-authenticate')).toBe('Bearer');
          expect(await res.json()).toEqual({ detail: 'Không tìm thấy thông tin xác thực' });
        }
        expect((await call(path, method, 'svc-0123456789abcdef')).status).toBe(200);
      }
    } finally {
      await keyedGw.close();
      await keyed.close();
    }
  });
});
