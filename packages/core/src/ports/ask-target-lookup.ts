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
}
