import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Deps } from '@rag/core/testing';

import { uploadForm } from '../../support/fixtures';
import { callerFor, createTestDeps } from '../../support/harness';
import { signUpUser, type TestUser } from '../../support/users';

const TOO_MANY = 'Bạn đang có quá nhiều câu hỏi chưa được trả lời xong. Vui lòng đợi rồi thử lại.';

let deps: Deps;
let alice: TestUser;
let bob: TestUser;
let aliceFile: string;
let bobFile: string;

beforeAll(async () => {
  deps = await createTestDeps({ ASK_CONCURRENCY_PER_USER: '2' });
  alice = await signUpUser(deps);
  bob = await signUpUser(deps);
  const up = async (user: TestUser, name: string, text: string) =>
    (await (await callerFor(deps, user.token)).files.upload(uploadForm(name, text))).file_id;
  aliceFile = await up(alice, 'a.txt', 'Volcanoes erupt molten rock called lava.');
  bobFile = await up(bob, 'b.txt', 'Glaciers are rivers of slowly moving ice.');
});
afterAll(async () => deps?.close());

const askAs = async (user: TestUser, file: string, question = 'What is lava?') =>
  (await callerFor(deps, user.token)).ask.stream({ question, file_id: [file] });

/** A stream held open after its `start` event: an answer in progress. */
async function inProgress(user: TestUser, file: string) {
  const events = (await askAs(user, file))[Symbol.asyncIterator]();
  expect((await events.next()).value).toMatchObject({ event: 'start' });
  return events;
}

const drain = async (events: AsyncIterator<unknown>) => {
  while (!(await events.next()).done);
};

const messageCount = async (user: TestUser) => {
  const list = await (await callerFor(deps, user.token)).conversations.list({});
  return list.data.reduce((n, c) => n + c.message_count, 0);
};

describe('answers in progress per user (ASK_CONCURRENCY_PER_USER)', () => {
  it('refuses one more answer with 429 and records nothing; other users still ask', async () => {
    const first = await inProgress(alice, aliceFile);
    const second = await inProgress(alice, aliceFile);
    expect(deps.askSlots.held(alice.userId)).toBe(2);
    const before = await messageCount(alice);

    await expect(askAs(alice, aliceFile)).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: TOO_MANY,
    });
    expect(await messageCount(alice)).toBe(before);
    // Bob's slots are his own.
    const bobs = await inProgress(bob, bobFile);

    // An answer that ends gives its slot back.
    await drain(first);
    expect(deps.askSlots.held(alice.userId)).toBe(1);
    const third = await inProgress(alice, aliceFile);
    // So does one the client leaves mid-answer.
    await second.return?.();
    await third.return?.();
    await bobs.return?.();
    expect(deps.askSlots.held(alice.userId)).toBe(0);
    expect(deps.askSlots.held(bob.userId)).toBe(0);
  });

  it('gives the slot back when the stream is closed before its first event or the ask is refused', async () => {
    const unread = (await askAs(alice, aliceFile))[Symbol.asyncIterator]();
    expect(deps.askSlots.held(alice.userId)).toBe(1);
    await unread.return?.();
    expect(deps.askSlots.held(alice.userId)).toBe(0);

    // A refusal before the stream (another user's file: 404) holds nothing.
    await expect(askAs(alice, bobFile)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(deps.askSlots.held(alice.userId)).toBe(0);

    // Both slots are free again.
    const a = await inProgress(alice, aliceFile);
    const b = await inProgress(alice, aliceFile);
    await Promise.all([drain(a), drain(b)]);
    expect(deps.askSlots.held(alice.userId)).toBe(0);
  });
});
