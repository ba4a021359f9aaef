import type {
  Conversation,
  ConversationStats,
  ConversationStore,
} from '../../ports/conversation-store';
import type { MessageStore, StoredMessage } from '../../ports/message-store';

/** Newest activity first, as the Postgres store orders (last_updated, created_at, id; all descending). */
function newestFirst(a: Conversation, b: Conversation): number {
  return (
    b.lastUpdated.getTime() - a.lastUpdated.getTime() ||
    b.createdAt.getTime() - a.createdAt.getTime() ||
    (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
  );
}

/**
 * Conversations and their messages in memory, for fast domain tests. One shared state, because the
 * two stores meet in one statement on Postgres (an append bumps its conversation; a delete cascades).
 * Single-threaded JS makes each method atomic, which is what the Postgres statements guarantee.
 */
export function createMemoryConversationStores(): {
  conversations: ConversationStore;
  messages: MessageStore;
} {
  const conversations = new Map<string, Conversation>();
  const messages = new Map<string, StoredMessage[]>();
  const current = new Map<string, string>();
  let nextMessageId = 1;

  const owned = (userId: string, id: string) => {
    const c = conversations.get(id);
    return c && c.userId === userId ? c : undefined;
  };
  const stats = (c: Conversation): ConversationStats => {
    const list = messages.get(c.id) ?? [];
    return {
      ...c,
      firstMessage: list.find((m) => m.role === 'user')?.content ?? null,
      messageCount: list.length,
    };
  };
  const copy = (c: Conversation): Conversation => ({ ...c });

  const conversationStore: ConversationStore = {
    create({ id, userId, now }) {
      const c: Conversation = {
        id,
        userId,
        title: null,
        titleSource: null,
        createdAt: now,
        lastUpdated: now,
        lastSequence: 0,
      };
      conversations.set(id, c);
      return Promise.resolve(copy(c));
    },
    find(userId, id) {
      const c = owned(userId, id);
      return Promise.resolve(c && copy(c));
    },
    page(userId, page) {
      const mine = [...conversations.values()].filter((c) => c.userId === userId).sort(newestFirst);
      return Promise.resolve({
        rows: mine.slice(page.offset, page.offset + page.limit).map(stats),
        total: mine.length,
      });
    },
    latestWithMessages(userId) {
      const [latest] = [...conversations.values()]
        .filter((c) => c.userId === userId && c.lastSequence > 0)
        .sort(newestFirst);
      return Promise.resolve(latest && stats(latest));
    },
    rename(userId, id, title) {
      const c = owned(userId, id);
      if (c) Object.assign(c, { title, titleSource: 'user' });
      return Promise.resolve(Boolean(c));
    },
    setModelTitle(userId, id, title) {
      const c = owned(userId, id);
      const auto = c?.titleSource === 'auto';
      if (c && auto) Object.assign(c, { title, titleSource: 'model' });
      return Promise.resolve(auto);
    },
    remove(userId, id) {
      const c = owned(userId, id);
      if (c) {
        conversations.delete(id);
        messages.delete(id);
      }
      return Promise.resolve(Boolean(c));
    },
    setCurrent(userId, conversationId) {
      current.set(userId, conversationId);
      return Promise.resolve();
    },
    current(userId) {
      const id = current.get(userId);
      const c = id === undefined ? undefined : owned(userId, id);
      return Promise.resolve(c && copy(c));
    },
  };

  const messageStore: MessageStore = {
    append(input) {
      const c = owned(input.userId, input.conversationId);
      if (!c) return Promise.resolve(undefined);
      if (input.answers) {
        const { questionId, questionSequence, placeholder } = input.answers;
        const answer = (messages.get(c.id) ?? []).find(
          (m) =>
            m.sequence > questionSequence &&
            m.role === 'assistant' &&
            m.metadata?.question_id === questionId,
        );
        if (placeholder && answer) return Promise.resolve(undefined);
        if (!placeholder && answer?.content === '' && answer.metadata?.status === 'interrupted') {
          Object.assign(answer, {
            content: input.content,
            metadata: input.metadata,
            createdAt: input.now,
          });
          c.lastUpdated = input.now;
          return Promise.resolve({ id: answer.id, sequence: answer.sequence });
        }
      }
      if (input.titleIfFirst && c.lastSequence === 0 && c.title === null) {
        c.title = input.titleIfFirst;
        c.titleSource = 'auto';
      }
      c.lastSequence += 1;
      c.lastUpdated = input.now;
      if (input.makeCurrent) current.set(input.userId, c.id);
      const message: StoredMessage = {
        id: nextMessageId++,
        conversationId: c.id,
        sequence: c.lastSequence,
        role: input.role,
        content: input.content,
        metadata: input.metadata,
        createdAt: input.now,
      };
      messages.set(c.id, [...(messages.get(c.id) ?? []), message]);
      return Promise.resolve({ id: message.id, sequence: message.sequence });
    },
    list(userId, conversationId, opts = {}) {
      if (!owned(userId, conversationId)) return Promise.resolve([]);
      const before = opts.beforeSequence;
      let list = (messages.get(conversationId) ?? []).filter((m) => !before || m.sequence < before);
      if (opts.limit !== undefined) list = list.slice(Math.max(0, list.length - opts.limit));
      return Promise.resolve(list.map((m) => ({ ...m })));
    },
    unansweredQuestions() {
      const ids = [...messages.keys()].sort();
      const open = ids.flatMap((conversationId) => {
        const list = messages.get(conversationId) ?? [];
        const answered = new Set(
          list.filter((m) => m.role === 'assistant').map((m) => m.metadata?.question_id),
        );
        const userId = conversations.get(conversationId)?.userId ?? '';
        return list
          .filter((m) => m.role === 'user' && m.metadata && 'question_id' in m.metadata)
          .filter((m) => !answered.has(m.metadata?.question_id))
          .map((m) => ({
            userId,
            conversationId,
            sequence: m.sequence,
            metadata: m.metadata ?? {},
          }));
      });
      return Promise.resolve(open);
    },
  };

  return { conversations: conversationStore, messages: messageStore };
}
