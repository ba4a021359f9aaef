import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { prepareAsk, type Deps } from '@rag/core/testing';

import { uploadForm } from '../../support/fixtures';
import { callerFor, createTestDeps } from '../../support/harness';
import { signUpUser, type TestUser } from '../../support/users';

let deps: Deps;
let alice: TestUser;
let bob: TestUser;
let aliceFile: string;
let bobFile: string;

beforeAll(async () => {
  deps = await createTestDeps();
  alice = await signUpUser(deps);
  bob = await signUpUser(deps);
  aliceFile = (
    await (
      await callerFor(deps, alice.token)
    ).files.upload(uploadForm('a.txt', 'Volcanoes erupt molten rock called lava.'))
  ).file_id;
  bobFile = (
    await (
      await callerFor(deps, bob.token)
    ).files.upload(uploadForm('b.txt', 'Glaciers are rivers of slowly moving ice.'))
  ).file_id;
});
afterAll(async () => deps?.close());

async function messagesOf(user: TestUser, conversationId: string) {
  const api = await callerFor(deps, user.token);
  return (await api.conversations.get({ conversation_id: conversationId })).data.messages;
}

describe('start-up recovery of answers cut off by a crash', () => {
  it('a question left without an answer (kill -9 mid-answer) gets the interrupted message at start-up', async () => {
    // The question is recorded, then the process dies before the answer is saved.
    const cut = await prepareAsk(deps, alice.userId, {
      question: 'What do volcanoes erupt?',
      file_id: [aliceFile],
      search_type: 'hybrid',
      alpha: 0.7,
    });
    const bobCut = await prepareAsk(deps, bob.userId, {
      question: 'What are glaciers?',
      file_id: [bobFile],
      search_type: 'semantic',
      alpha: 0.7,
    });
    // An answered question in the same conversation must stay as it is.
    const answered = await (
      await callerFor(deps, alice.token)
    ).ask.stream({ question: 'What is lava?', file_id: [aliceFile], search_type: 'hybrid' });
    for await (const e of answered) void e;
    const before = await messagesOf(alice, cut.conversationId);
    expect(before.filter((m) => m.role === 'assistant')).toHaveLength(1);

    // A restart on the same database runs the start-up reconciliation.
    const restarted = await createTestDeps({}, { database: deps.database });

    const after = await messagesOf(alice, cut.conversationId);
    const recovered = after.filter(
      (m) => m.role === 'assistant' && m.question_id === cut.questionId,
    );
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ interrupted: true, content: '' });
    expect(after.filter((m) => m.role === 'assistant')).toHaveLength(2);
    // Each user's question is closed in that user's own conversation only.
    const bobs = await messagesOf(bob, bobCut.conversationId);
    expect(bobs.map((m) => [m.role, m.question_id, m.interrupted ?? false])).toEqual([
      ['user', bobCut.questionId, false],
      ['assistant', bobCut.questionId, true],
    ]);

    // Idempotent: a second start-up adds nothing.
    await createTestDeps({}, { database: deps.database });
    expect(await messagesOf(alice, cut.conversationId)).toHaveLength(after.length);
    void restarted;
  });

  it('a second gateway starting while the first is answering leaves the question one answer, the real one', async () => {
    const stream = await (
      await callerFor(deps, alice.token)
    ).ask.stream({ question: 'What is lava?', file_id: [aliceFile], search_type: 'hybrid' });
    const events = stream[Symbol.asyncIterator]();
    const first = await events.next();
    expect(first.value).toMatchObject({ event: 'start' });
    const { question_id, conversation_id } = (
      first.value as { data: { question_id: string; conversation_id: string } }
    ).data;

    // Another gateway on the same database starts now: its recovery sees the question unanswered.
    await createTestDeps({}, { database: deps.database });
    const during = await messagesOf(alice, conversation_id);
    expect(during.filter((m) => m.role === 'assistant' && m.question_id === question_id)).toEqual([
      expect.objectContaining({ interrupted: true, content: '' }),
    ]);

    // The first gateway's answer then takes the placeholder's place.
    const rest = [];
    for (let e = await events.next(); !e.done; e = await events.next()) rest.push(e.value);
    expect(rest.at(-1)).toMatchObject({ event: 'end' });
    const after = await messagesOf(alice, conversation_id);
    const answers = after.filter((m) => m.role === 'assistant' && m.question_id === question_id);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.content).toContain('lava');
    expect(answers[0]?.interrupted ?? false).toBe(false);
    // In the placeholder's place: right after its question.
    const asked = after.findIndex((m) => m.role === 'user' && m.question_id === question_id);
    expect(after[asked + 1]).toEqual(answers[0]);
    expect(after).toHaveLength(during.length);
  });
});
