export type MessageRole = 'user' | 'assistant';

export type StoredMessage = {
  id: number;
  conversationId: string;
  /** 1, 2, … per conversation, without gaps. */
  sequence: number;
  role: MessageRole;
  content: string;
  /** What the writer stored (an answer's sources and settings); null when nothing. */
  metadata: Record<string, unknown> | null;
  createdAt: Date;
};

export type NewMessage = {
  userId: string;
  conversationId: string;
  role: MessageRole;
  content: string;
  metadata: Record<string, unknown> | null;
  now: Date;
  /** Also record the conversation as the user's current one (same statement, one round trip). */
  makeCurrent?: boolean;
  /** Title to give the conversation if this is its first message and it has none yet. */
  titleIfFirst?: string | null;
  /** Also return up to this many messages before the new one (an ask's history, same round trip). */
  history?: number;
  /**
   * The question an assistant message answers (its id and its message's sequence). An answer then takes the place of that question's
   * placeholder (an empty interrupted answer: another gateway's start-up recovery closed the question
   * while this one was still answering it) instead of becoming a second answer. With `placeholder`,
   * the message is that recovery's placeholder, appended only while the question has no answer.
   * Such a message returns no `history`.
   */
  answers?: { questionId: string; questionSequence: number; placeholder?: boolean };
};

/** An earlier message as history: who said what. */
export type HistoryMessage = { sequence: number; role: MessageRole; content: string };

/** The appended message; `history` (oldest first) when asked for and the store gives it. */
export type AppendedMessage = { id: number; sequence: number; history?: HistoryMessage[] };

/** A question whose answer was never saved (the process died mid-answer). */
export type UnansweredQuestion = {
  userId: string;
  conversationId: string;
  /** The question message's sequence. */
  sequence: number;
  metadata: Record<string, unknown>;
};

/** The messages of the users' conversations. */
export type MessageStore = {
  /**
   * Appends a message with the next sequence number, atomically with the conversation's bump (its
   * last_updated, and the title when `titleIfFirst`), so concurrent appends get unique, gap-free
   * sequences. Undefined when the conversation is not the user's (or was deleted meanwhile), and for a
   * placeholder when the question was answered meanwhile. An answer that replaced a placeholder keeps
   * the placeholder's id and sequence.
   */
  append(message: NewMessage): Promise<AppendedMessage | undefined>;
  /**
   * The conversation's messages in order, empty when it is not the user's: the last `limit` when
   * given, only those before `beforeSequence` when given.
   */
  list(
    userId: string,
    conversationId: string,
    opts?: { limit?: number; beforeSequence?: number },
  ): Promise<StoredMessage[]>;
  /**
   * System-level (start-up recovery, all users): user messages carrying a `question_id` that no
   * assistant message answers, by conversation and sequence.
   */
  unansweredQuestions(): Promise<UnansweredQuestion[]>;
};
