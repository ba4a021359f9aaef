import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ConversationStore } from '../../packages/core/src/ports/conversation-store';
import type { MessageStore } from '../../packages/core/src/ports/message-store';

export type ConversationStoresSubject = {
  conversations: ConversationStore;
  messages: MessageStore;
  close(): Promise<void>;
};

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const newId = () => `conv_${randomUUID().replace(/-/g, '')}`;

/**
 * The behaviour every ConversationStore + MessageStore pair must show (in memory, PGlite, Postgres):
 * gap-free sequences under concurrency, per-user isolation, paging order and counts, titles, the
 * current-conversation pointer and the unanswered-question scan. Each run uses its own users.
 */
export function conversationStoresContract(
  name: string,
  open: () => Promise<ConversationStoresSubject>,
) {
  describe(`conversation stores contract: ${name}`, () => {
    let s: ConversationStoresSubject;
    const alice = randomUUID();
    const bob = randomUUID();
    beforeAll(async () => {
      s = await open();
    });
    afterAll(() => s?.close());

    const create = (userId: string, sec: number) =>
      s.conversations.create({ id: newId(), userId, now: at(sec) });
    const say = (userId: string, conversationId: string, content: string, sec: number) =>
      s.messages.append({
        userId,
        conversationId,
        role: 'user',
        content,
        metadata: null,
        now: at(sec),
      });

    it('numbers concurrent messages of one conversation 1..n without gaps or repeats', async () => {
      const conv = await create(alice, 0);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          s.messages.append({
            userId: alice,
            conversationId: conv.id,
            role: i % 2 ? 'assistant' : 'user',
            content: `m${i}`,
            metadata: { i },
            now: at(1),
          }),
        ),
      );
      expect(results.map((r) => r?.sequence).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      const rows = await s.messages.list(alice, conv.id);
      expect(rows.map((r) => r.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(rows.find((r) => r.content === 'm3')).toMatchObject({
        role: 'assistant',
        metadata: { i: 3 },
        createdAt: at(1),
      });
      const page = await s.messages.list(alice, conv.id, { limit: 3, beforeSequence: 10 });
      expect(page.map((r) => r.sequence)).toEqual([7, 8, 9]);
      expect((await s.conversations.find(alice, conv.id))?.lastSequence).toBe(40);
    });

    it("never reads, appends to, renames or deletes another user's conversation", async () => {
      const conv = await create(alice, 2);
      await say(alice, conv.id, 'mine', 3);
      expect(await say(bob, conv.id, 'x', 3)).toBeUndefined();
      expect(await s.messages.list(bob, conv.id)).toEqual([]);
      expect(await s.conversations.find(bob, conv.id)).toBeUndefined();
      expect(await s.conversations.rename(bob, conv.id, 'stolen')).toBe(false);
      expect(await s.conversations.remove(bob, conv.id)).toBe(false);
      expect((await s.messages.list(alice, conv.id)).map((m) => m.content)).toEqual(['mine']);
      expect(await say(alice, 'conv_missing', 'x', 3)).toBeUndefined();
    });

    it('pages newest first with first question and count, and finds the latest with messages', async () => {
      const carol = randomUUID();
      const older = await create(carol, 10);
      await say(carol, older.id, 'first?', 11);
      await s.messages.append({
        userId: carol,
        conversationId: older.id,
        role: 'assistant',
        content: 'yes',
        metadata: null,
        now: at(12),
      });
      const empty = await create(carol, 20);
      const page = await s.conversations.page(carol, { offset: 0, limit: 10 });
      expect(page.total).toBe(2);
      expect(page.rows.map((r) => [r.id, r.firstMessage, r.messageCount])).toEqual([
        [empty.id, null, 0],
        [older.id, 'first?', 2],
      ]);
      expect(page.rows[1]?.lastUpdated).toEqual(at(12));
      expect(await s.conversations.page(carol, { offset: 1, limit: 1 })).toMatchObject({
        total: 2,
        rows: [{ id: older.id }],
      });
      expect((await s.conversations.latestWithMessages(carol))?.id).toBe(older.id);
      expect((await s.conversations.page(randomUUID(), { offset: 0, limit: 10 })).total).toBe(0);
    });

    it('titles: the first question titles once, a model title never overrides a rename', async () => {
      const dave = randomUUID();
      const conv = await create(dave, 40);
      const first = { userId: dave, conversationId: conv.id, role: 'user' as const };
      await s.messages.append({
        ...first,
        content: 'a',
        metadata: null,
        now: at(41),
        titleIfFirst: 'A',
      });
      await s.messages.append({
        ...first,
        content: 'b',
        metadata: null,
        now: at(42),
        titleIfFirst: 'B',
      });
      expect(await s.conversations.find(dave, conv.id)).toMatchObject({
        title: 'A',
        titleSource: 'auto',
      });
      expect(await s.conversations.setModelTitle(dave, conv.id, 'Model')).toBe(true);
      expect(await s.conversations.find(dave, conv.id)).toMatchObject({
        title: 'Model',
        titleSource: 'model',
      });
      expect(await s.conversations.rename(dave, conv.id, 'Mine')).toBe(true);
      expect(await s.conversations.setModelTitle(dave, conv.id, 'Later')).toBe(false);
      expect(await s.conversations.find(dave, conv.id)).toMatchObject({
        title: 'Mine',
        titleSource: 'user',
      });
    });

    it('keeps the current conversation per user; appending can make one current', async () => {
      const conv = await create(alice, 30);
      await create(bob, 31);
      await s.conversations.setCurrent(alice, conv.id, at(32));
      expect((await s.conversations.current(alice))?.id).toBe(conv.id);
      expect(await s.conversations.current(randomUUID())).toBeUndefined();
      // Pointing at someone else's conversation reads as none.
      await s.conversations.setCurrent(bob, conv.id, at(32));
      expect(await s.conversations.current(bob)).toBeUndefined();

      const other = await create(alice, 33);
      await s.messages.append({
        userId: alice,
        conversationId: other.id,
        role: 'user',
        content: 'q',
        metadata: null,
        now: at(34),
        makeCurrent: true,
      });
      expect((await s.conversations.current(alice))?.id).toBe(other.id);
      expect(await s.conversations.remove(alice, other.id)).toBe(true);
      expect(await s.conversations.current(alice)).toBeUndefined();
      expect(await s.messages.list(alice, other.id)).toEqual([]);
    });

    it('finds the questions no answer closes, by conversation and sequence', async () => {
      const erin = randomUUID();
      const conv = await create(erin, 50);
      const ask = (question_id: string, sec: number) =>
        s.messages.append({
          userId: erin,
          conversationId: conv.id,
          role: 'user',
          content: question_id,
          metadata: { question_id, search_type: 'hybrid' },
          now: at(sec),
        });
      await ask('q_1', 51);
      await s.messages.append({
        userId: erin,
        conversationId: conv.id,
        role: 'assistant',
        content: 'answer',
        metadata: { question_id: 'q_1' },
        now: at(52),
      });
      await ask('q_2', 53);
      await ask('q_3', 54);
      const open = (await s.messages.unansweredQuestions()).filter((q) => q.userId === erin);
      expect(open).toEqual([
        {
          userId: erin,
          conversationId: conv.id,
          sequence: 3,
          metadata: { question_id: 'q_2', search_type: 'hybrid' },
        },
        {
          userId: erin,
          conversationId: conv.id,
          sequence: 4,
          metadata: { question_id: 'q_3', search_type: 'hybrid' },
        },
      ]);
    });

    // Two gateways on one database: one's start-up recovery closes a question the other is still answering.
    type Question = { id: string; sequence: number };
    const placeholderOf = (userId: string, conversationId: string, q: Question, sec: number) =>
      s.messages.append({
        userId,
        conversationId,
        role: 'assistant',
        content: '',
        metadata: { question_id: q.id, status: 'interrupted' },
        now: at(sec),
        answers: { questionId: q.id, questionSequence: q.sequence, placeholder: true },
      });
    const answerOf = (userId: string, conversationId: string, q: Question, sec: number) =>
      s.messages.append({
        userId,
        conversationId,
        role: 'assistant',
        content: `answer to ${q.id}`,
        metadata: { question_id: q.id, status: 'completed' },
        now: at(sec),
        answers: { questionId: q.id, questionSequence: q.sequence },
      });
    const assistants = async (userId: string, conversationId: string) =>
      (await s.messages.list(userId, conversationId))
        .filter((m) => m.role === 'assistant')
        .map((m) => [m.sequence, m.metadata?.question_id, m.content]);
    const askIn = async (userId: string, conversationId: string, id: string, sec: number) => {
      const saved = await s.messages.append({
        userId,
        conversationId,
        role: 'user',
        content: id,
        metadata: { question_id: id },
        now: at(sec),
      });
      return { id, sequence: saved?.sequence ?? -1 };
    };

    it("puts a question's answer in place of its recovery placeholder, and no placeholder after an answer", async () => {
      const frank = randomUUID();
      const conv = await create(frank, 60);
      const q1 = await askIn(frank, conv.id, 'q_1', 61);
      const placeholder = await placeholderOf(frank, conv.id, q1, 62);
      expect(placeholder?.sequence).toBe(2);
      const q2 = await askIn(frank, conv.id, 'q_2', 63);
      // The answer keeps the placeholder's place: right after its question, before the next one.
      expect(await answerOf(frank, conv.id, q1, 64)).toEqual(placeholder);
      await answerOf(frank, conv.id, q2, 65);
      // A recovery that read q_2 as open before its answer was saved adds nothing now.
      expect(await placeholderOf(frank, conv.id, q2, 66)).toBeUndefined();
      expect(await assistants(frank, conv.id)).toEqual([
        [2, 'q_1', 'answer to q_1'],
        [4, 'q_2', 'answer to q_2'],
      ]);
      const list = await s.messages.list(frank, conv.id);
      expect(list.find((m) => m.sequence === 2)).toMatchObject({
        metadata: { question_id: 'q_1', status: 'completed' },
        createdAt: at(64),
      });
      expect((await s.conversations.find(frank, conv.id))?.lastUpdated).toEqual(at(65));
      // Another user cannot fill or add a placeholder in this conversation.
      expect(await answerOf(bob, conv.id, q1, 67)).toBeUndefined();
      expect(await placeholderOf(bob, conv.id, { id: 'q_3', sequence: 4 }, 67)).toBeUndefined();
      expect(await s.messages.list(frank, conv.id)).toHaveLength(4);
    });

    it('leaves each question one answer when recovery and answers race', async () => {
      const gina = randomUUID();
      const conv = await create(gina, 70);
      const questions: Question[] = [];
      for (let i = 0; i < 12; i++) questions.push(await askIn(gina, conv.id, `q_${i}`, 71 + i));
      await Promise.all(
        questions.flatMap((q, i) =>
          i % 2
            ? [placeholderOf(gina, conv.id, q, 90), answerOf(gina, conv.id, q, 90)]
            : [answerOf(gina, conv.id, q, 90), placeholderOf(gina, conv.id, q, 90)],
        ),
      );
      const answers = await assistants(gina, conv.id);
      expect(answers.map(([, id, content]) => [id, content]).sort()).toEqual(
        questions.map((q) => [q.id, `answer to ${q.id}`]).sort(),
      );
      const sequences = (await s.messages.list(gina, conv.id)).map((m) => m.sequence);
      expect(sequences).toEqual(sequences.map((_, i) => i + 1));
    });
  });
}
