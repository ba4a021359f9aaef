import type {
  ChatHistoryRecord,
  EmailSyncStore,
  InsertFeed,
  InsertListener,
  SyncScope,
  UserChatRecord,
} from '../../ports/email-sync-store';

/**
 * The e-mail of a row, as the database trigger derives it (migration email-sync/0001): `email`
 * trimmed and lower-cased, else the string "Email" key of a JSON-object `input_text` (keys compared
 * case-insensitively, the exact spelling "Email" first); null when there is none.
 */
export function normalisedEmailOf(email: string | null, inputText: string): string | null {
  const direct = (email ?? '').trim().toLowerCase();
  if (direct) return direct;
  if (!/^\s*\{/.test(inputText)) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(inputText);
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const [found] = Object.entries(doc)
    .filter(([k, v]) => k.toLowerCase() === 'email' && typeof v === 'string')
    .sort(([a], [b]) => Number(b === 'Email') - Number(a === 'Email') || (a < b ? -1 : 1));
  const value = typeof found?.[1] === 'string' ? found[1].trim().toLowerCase() : '';
  return value || null;
}

type Stored = ChatHistoryRecord & { emailNormalized: string | null };

/** The e-mail sync's tables in one process, with the insert announcements the trigger would send. */
export function createMemoryEmailSync(clock: { now(): Date } = { now: () => new Date() }): {
  emailSync: EmailSyncStore;
  insertFeed: InsertFeed;
} {
  const chatHistory: Stored[] = [];
  const userChats: UserChatRecord[] = [];
  const listeners = new Set<InsertListener>();
  let nextUserChatId = 1;

  const pending = (scope: SyncScope) =>
    chatHistory.filter(
      (r) =>
        r.userId === null &&
        (!scope.since || r.createdAt.getTime() >= scope.since.getTime()) &&
        (scope.fromLogId === undefined || r.logId >= scope.fromLogId) &&
        (scope.toLogId === undefined || r.logId <= scope.toLogId),
    );
  const record = ({ emailNormalized: _, ...r }: Stored): ChatHistoryRecord => ({ ...r });

  const emailSync: EmailSyncStore = {
    addChatHistory(row) {
      const stored: Stored = {
        ...row,
        logId: chatHistory.length + 1,
        userId: null,
        createdAt: clock.now(),
        emailNormalized: normalisedEmailOf(row.email, row.inputText),
      };
      chatHistory.push(stored);
      const range = { from_log_id: stored.logId, to_log_id: stored.logId };
      for (const l of [...listeners]) l.onInsert(range);
      return Promise.resolve(record(stored));
    },
    chatHistory(logId) {
      const row = chatHistory.find((r) => r.logId === logId);
      return Promise.resolve(row && record(row));
    },
    countPendingWithoutEmail(scope) {
      return Promise.resolve(pending(scope).filter((r) => r.emailNormalized === null).length);
    },
    pendingEmails(scope, after, limit) {
      const counts = new Map<string, number>();
      for (const r of pending(scope)) {
        if (r.emailNormalized !== null && r.emailNormalized > after)
          counts.set(r.emailNormalized, (counts.get(r.emailNormalized) ?? 0) + 1);
      }
      const emails = [...counts.keys()].sort().slice(0, limit);
      return Promise.resolve(emails.map((email) => ({ email, rows: counts.get(email) ?? 0 })));
    },
    linkPending(scope, matches) {
      const users = new Map(matches.map((m) => [m.email, m.userId]));
      const linked = pending(scope)
        .filter((r) => r.emailNormalized !== null && users.has(r.emailNormalized))
        .sort((a, b) => a.logId - b.logId);
      let created = 0;
      for (const r of linked) {
        const email = r.emailNormalized ?? '';
        const userId = users.get(email) ?? '';
        r.userId = userId;
        if (userChats.some((u) => u.email === email && u.conversationId === r.conversationId))
          continue;
        userChats.push({
          id: nextUserChatId++,
          appId: r.appId,
          conversationId: r.conversationId,
          email,
          userId,
          nameApp: r.nameApp,
          createdAt: clock.now(),
        });
        created++;
      }
      return Promise.resolve({ linked: linked.length, created });
    },
    listUserChats(page, where) {
      const rows = userChats
        .filter((u) =>
          !where ? true : 'userId' in where ? u.userId === where.userId : u.email === where.email,
        )
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
        .slice(page.offset, page.offset + page.limit)
        .map((u) => ({ ...u }));
      return Promise.resolve(rows);
    },
  };

  const insertFeed: InsertFeed = {
    listen(listener) {
      listeners.add(listener);
      return Promise.resolve(() => {
        listeners.delete(listener);
        return Promise.resolve();
      });
    },
  };
  return { emailSync, insertFeed };
}
