/** Who set a conversation's title: its first question, the model, or the user (renaming). */
export type TitleSource = 'auto' | 'model' | 'user';

export type Conversation = {
  id: string;
  userId: string;
  title: string | null;
  titleSource: TitleSource | null;
  createdAt: Date;
  lastUpdated: Date;
  /** Highest message sequence handed out (0: no message yet). */
  lastSequence: number;
};

/** A conversation with what its list entry shows. */
export type ConversationStats = Conversation & {
  /** The first user message, if any. */
  firstMessage: string | null;
  messageCount: number;
};

/**
 * The user's conversations and their "current conversation" pointer. Every method is scoped by the
 * owner's `userId`: another user's conversation reads as missing and is never changed.
 */
export type ConversationStore = {
  /** A new, empty conversation (`id` is made by the domain: `conv_` + 32 hex). */
  create(conversation: { id: string; userId: string; now: Date }): Promise<Conversation>;
  find(userId: string, id: string): Promise<Conversation | undefined>;
  /** One page, newest activity first (last_updated, then created_at, then id, all descending). */
  page(
    userId: string,
    page: { offset: number; limit: number },
  ): Promise<{ rows: ConversationStats[]; total: number }>;
  /** The most recently updated conversation that has at least one message. */
  latestWithMessages(userId: string): Promise<ConversationStats | undefined>;
  /** Sets a title chosen by the user; false when the conversation is not theirs (or missing). */
  rename(userId: string, id: string, title: string): Promise<boolean>;
  /** Replaces an automatic title by the model's; false when the user renamed it meanwhile. */
  setModelTitle(userId: string, id: string, title: string): Promise<boolean>;
  /** Deletes the conversation and its messages; false when it is not theirs (or missing). */
  remove(userId: string, id: string): Promise<boolean>;
  /** Records the conversation the user last created, opened or asked in. */
  setCurrent(userId: string, conversationId: string, now: Date): Promise<void>;
  /** The current conversation, if it still exists and is theirs. */
  current(userId: string): Promise<Conversation | undefined>;
};
