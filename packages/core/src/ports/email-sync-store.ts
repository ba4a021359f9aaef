/**
 * The e-mail sync's records. Naming: "e-mail sync" is the domain (folder, service, ports, deps);
 * "chat history" and "user chat" name only its two tables' records (and the contract's routes).
 */

/** A chat log as stored (`email` as sent; the match uses the normalised e-mail the store derives). */
export type ChatHistoryRecord = {
  logId: number;
  nameApp: string;
  appId: string | null;
  inputText: string;
  outputText: string;
  conversationId: string;
  email: string | null;
  /** The matched user's id; null while pending. */
  userId: string | null;
  createdAt: Date;
};

export type NewChatHistory = Pick<
  ChatHistoryRecord,
  'nameApp' | 'appId' | 'inputText' | 'outputText' | 'conversationId' | 'email'
>;

/** One (e-mail, conversation) linked to a user. */
export type UserChatRecord = {
  id: number;
  appId: string | null;
  conversationId: string;
  email: string;
  userId: string;
  nameApp: string | null;
  createdAt: Date;
};

/** Which pending rows a sync looks at. Omitted bounds mean "no limit". */
export type SyncScope = {
  /** Only rows created at or after this instant (the 24-hour window of check-and-sync). */
  since?: Date;
  /** Only rows whose log_id lies in this range (the rows a notification announced). */
  fromLogId?: number;
  toLogId?: number;
};

export type EmailMatch = { email: string; userId: string };

/**
 * The chat_history → user_chat tables. A row's e-mail is normalised by the store (trimmed, lower
 * case; from `email`, else the "Email" key of a JSON `input_text`), so rows written by any writer
 * match alike.
 */
export type EmailSyncStore = {
  addChatHistory(row: NewChatHistory): Promise<ChatHistoryRecord>;
  chatHistory(logId: number): Promise<ChatHistoryRecord | undefined>;
  /** Pending rows in scope that have no e-mail at all (they can never match). */
  countPendingWithoutEmail(scope: SyncScope): Promise<number>;
  /** The next distinct pending e-mails after `after` (ascending), with their pending row counts. */
  pendingEmails(
    scope: SyncScope,
    after: string,
    limit: number,
  ): Promise<{ email: string; rows: number }[]>;
  /**
   * Links the pending rows in scope of the matched e-mails to their users and creates their
   * user_chat rows, in one statement: a row counts for exactly one concurrent caller, and an
   * existing (e-mail, conversation) pair is kept as is.
   */
  linkPending(
    scope: SyncScope,
    matches: EmailMatch[],
  ): Promise<{ linked: number; created: number }>;
  /** user_chat rows, newest first (created_at, then id), optionally of one user or one e-mail. */
  listUserChats(
    page: { limit: number; offset: number },
    where?: { userId: string } | { email: string },
  ): Promise<UserChatRecord[]>;
};

/** The log ids of rows one INSERT statement committed. */
export type InsertedRange = { from_log_id: number; to_log_id: number };

export type InsertListener = {
  onInsert(range: InsertedRange): void;
  /** The feed was lost (e.g. its connection); no more inserts will be announced. */
  onError(err: Error): void;
};

/** Announces committed chat_history inserts (Postgres LISTEN/NOTIFY on a trigger's channel). */
export type InsertFeed = {
  /** Resolves once listening (inserts committed afterwards are never missed); returns `stop`. */
  listen(listener: InsertListener): Promise<() => Promise<void>>;
};
