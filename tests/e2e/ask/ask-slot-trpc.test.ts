import type { IncomingMessage, ServerResponse } from 'node:http';

import { EventSource } from 'eventsource';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

import { createRagClient } from '@rag/client';
import type { Deps } from '@rag/core/testing';

import { uploadForm } from '../../support/fixtures';
import { callerFor, createTestDeps, startGateway } from '../../support/harness';
import { signUpUser, type TestUser } from '../../support/users';

let deps: Deps;
let gw: Awaited<ReturnType<typeof startGateway>>;
let alice: TestUser;
let file: string;

beforeAll(async () => {
  deps = await createTestDeps({ ASK_CONCURRENCY_PER_USER: '2' });
  gw = await startGateway(deps);
  alice = await signUpUser(deps);
  const api = await callerFor(deps, alice.token);
  file = (await api.files.upload(uploadForm('a.txt', 'Volcanoes erupt molten rock called lava.')))
    .file_id;
});
afterAll(async () => {
  await gw?.close();
  await deps?.close();
});

/** Holds the next question's write until `go`, and says when it has begun. */
function holdQuestionWrite() {
  const original = deps.askTargets.resolveAndSave?.bind(deps.askTargets);
  if (!original) throw new Error('the ask target lookup has no resolveAndSave');
  let entered!: () => void;
  let go!: () => void;
  const began = new Promise<void>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (go = resolve));
  deps.askTargets.resolveAndSave = async (input) => {
    deps.askTargets.resolveAndSave = original;
    entered();
    await released;
    return original(input);
  };
  return { began, go };
}

/** Resolves when the server sees the next `ask.stream` request's response close (the client left). */
function askRequestClosed(): Promise<void> {
  return new Promise((resolve) => {
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      if (!req.url?.includes('ask.stream')) return;
      gw.server.off('request', onRequest);
      res.once('close', () => resolve());
    };
    gw.server.on('request', onRequest);
  });
}

it('a tRPC ask the client leaves while its question is recorded gives its slot back and saves an interrupted answer', async () => {
  const client = createRagClient({
    url: `${gw.url}/trpc`,
    getToken: () => alice.token,
    EventSource,
  });
  // As many times as the cap: before the fix each one kept its slot, and the user was locked out.
  for (let i = 0; i < 2; i++) {
    const hold = holdQuestionWrite();
    const closed = askRequestClosed();
    const sub = client.ask.stream.subscribe(
      { question: 'What is lava?', file_id: [file] },
      { onData() {}, onError() {} },
    );
    await hold.began;
    sub.unsubscribe();
    // The server has seen the request end before the question is written: the bug's window.
    await closed;
    hold.go();
    await vi.waitFor(() => expect(deps.askSlots.held(alice.userId)).toBe(0), {
      timeout: 20_000,
    });
  }
  const api = await callerFor(deps, alice.token);
  const [conv] = (await api.conversations.list({})).data;
  const { messages } = (await api.conversations.get({ conversation_id: conv!.conversation_id }))
    .data;
  expect(messages.map((m) => [m.role, m.interrupted ?? false])).toEqual([
    ['user', false],
    ['assistant', true],
    ['user', false],
    ['assistant', true],
  ]);
  // The user can still ask.
  const stream = await api.ask.stream({ question: 'What is lava?', file_id: [file] });
  for await (const e of stream) void e;
  expect(deps.askSlots.held(alice.userId)).toBe(0);
});
