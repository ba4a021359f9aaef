import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createRestClient, RagClientError, type AskEvent } from '@rag/client';

import { strongPassword } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');

const app = useTestApp();

describe('createRestClient against the REST/SSE contract', () => {
  it('signs up, uploads, lists, streams an answer and lists conversations', async () => {
    const anon = createRestClient({ baseUrl: `${app.url}/api` });
    const email = `rest-${Date.now()}@example.com`;
    const auth = await anon.auth.signUp({ email, password: strongPassword() });
    const rest = createRestClient({ baseUrl: `${app.url}/api`, getToken: () => auth.access_token });
    expect((await rest.auth.me()).email).toBe(email);

    const bytes = readFileSync(join(CORPUS, 'md/javascript-info-variables.md'));
    const up = await rest.files.upload(new Blob([bytes]), { filename: 'vars.md', category: 'js' });
    expect(up).toMatchObject({ filename: 'vars.md', status: 'success', category: 'js' });
    const list = await rest.files.list();
    expect(list.files.map((f) => f.filename)).toEqual(['vars.md']);

    const stream = rest.ask.stream({
      question: 'Để tạo biến trong JavaScript, sử dụng từ khóa nào?',
      file_id: [up.file_id],
      max_sources: 2,
    });
    const events: AskEvent[] = [];
    for await (const e of stream) events.push(e);
    expect([...new Set(events.map((e) => e.event))]).toEqual([
      'start',
      'sources',
      'content',
      'end',
    ]);
    expect(await stream.finalAnswer()).toMatch(/let/);
    expect((await stream.sources()).length).toBeLessThanOrEqual(2);

    const conversations = await rest.conversations.list({ page: 1, page_size: 5 });
    expect(conversations.data).toHaveLength(1);
    const convId = conversations.data[0]!.conversation_id;
    const conv = await rest.conversations.get(convId);
    expect(conv.data.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    // A page: the newest message, then the one before it.
    const last = await rest.conversations.get(convId, { limit: 1 });
    expect(last.data.messages.map((m) => m.sequence)).toEqual([2]);
    const before = await rest.conversations.get(convId, { limit: 1, before: 2 });
    expect(before.data.messages).toEqual([conv.data.messages[0]]);
    expect((await rest.files.delete(up.file_id)).status).toBe('success');
  });

  it('reports HTTP errors as RagClientError with status, code and the contract message', async () => {
    const rest = createRestClient({ baseUrl: `${app.url}/api`, getToken: () => 'bad' });
    const e401 = (await rest.files.list().catch((e: unknown) => e)) as RagClientError;
    expect(e401).toBeInstanceOf(RagClientError);
    expect(e401).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(e401.message).toBe('Token không hợp lệ hoặc đã hết hạn');

    const anon = createRestClient({ baseUrl: `${app.url}/api` });
    const e422 = (await anon.auth
      .signUp({ email: 'not-an-email', password: 'x' })
      .catch((e: unknown) => e)) as RagClientError;
    expect(e422).toMatchObject({ code: 'UNPROCESSABLE', status: 422 });
    expect(e422.issues?.length).toBeGreaterThan(0);

    const auth = await anon.auth.signUp({
      email: `rest-err-${Date.now()}@example.com`,
      password: strongPassword(),
    });
    const rest2 = createRestClient({
      baseUrl: `${app.url}/api`,
      getToken: () => auth.access_token,
    });
    const e400 = (await rest2.ask
      .stream({ question: 'Không có tệp?' })
      .finalAnswer()
      .catch((e: unknown) => e)) as RagClientError;
    expect(e400).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
    expect(e400.body?.available_file_ids).toEqual([]);
  });
});
