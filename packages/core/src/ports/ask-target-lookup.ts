import type { AppendedMessage } from './message-store';

/** Where an ask goes: which requested files the user owns, and the conversation to ask in. */
export type AskTarget = { owned: Set<string>; conversationId: string | null };

/**
 * The one read before the first byte of an answer, in one round trip: of the requested file ids, those
 * the user owns (any status); and the user's conversation to ask in — the requested one, else their
 * current one — or null when that is not theirs or no longer exists. It spans the files and the
 * conversations tables, so it is a port of its own rather than a method of either store.
 */
export interface AskTargetLookup {
  resolve(input: {
    userId: string;
    fileIds: string[];
    conversationId: string | null;
  }): Promise<AskTarget>;
  /**
   * `resolve` and saving the question in one round trip (the embedded database runs one statement at
   * a time, so under load every statement of an ask queues). The question is saved as the next user
   * message of the conversation to ask in, which becomes the user's current one, only when every
   * requested file is the user's and so is the requested conversation (if any); with none requested
   * and no current one, a conversation is created for it. Optional: without it an ask resolves, then
   * saves.
   */
  resolveAndSave?(input: {
    userId: string;
    fileIds: string[];
    conversationId: string | null;
    question: TargetQuestion;
  }): Promise<SavedAsk>;
}

/** The question an ask saves once its target checks out (see `AskTargetLookup.resolveAndSave`). */
export type TargetQuestion = {
  /** The id of the conversation to create when none was requested and the user has no current one. */
  newConversationId: string;
  content: string;
  metadata: Record<string, unknown>;
  now: Date;
  titleIfFirst: string | null;
  /** Earlier messages to return with it (the ask's history). */
  history: number;
};

/** The target and the saved question (undefined: a check failed, or the conversation vanished). */
export type SavedAsk = AskTarget & { saved: AppendedMessage | undefined };
