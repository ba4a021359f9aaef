import type { AuthProvider } from '../../ports/auth-provider';
import type { Clock } from '../../ports/clock';
import type { EmailMatch, EmailSyncStore, SyncScope } from '../../ports/email-sync-store';

export type { SyncScope } from '../../ports/email-sync-store';

/** What the sync needs: its tables and the auth provider's set-based user lookup. */
export type EmailSyncDeps = {
  emailSync: EmailSyncStore;
  auth: Pick<AuthProvider, 'findUsersByEmails'>;
  clock: Clock;
};

/**
 * `synced` = rows this call linked to a user; `skipped` = pending rows it examined and left pending
 * (no e-mail, or no such user); `total` = synced + skipped. Rows a concurrent sync linked first are
 * counted by that sync only.
 */
export type SyncCounts = {
  synced: number;
  skipped: number;
  total: number;
  userChatsCreated: number;
};

/** Distinct pending e-mails handled per batch: one user lookup and one write statement each. */
export const SYNC_BATCH_EMAILS = 1000;

/**
 * Links pending chat_history rows to users by e-mail, set-based: per batch of up to `batchSize`
 * distinct e-mails, one grouped read, one user lookup and one write — never a query per row. Rows of
 * unknown e-mails stay pending, so they match once the user signs up.
 */
export async function syncPending(
  deps: EmailSyncDeps,
  scope: SyncScope = {},
  batchSize = SYNC_BATCH_EMAILS,
): Promise<SyncCounts> {
  const store = deps.emailSync;
  let synced = 0;
  let userChatsCreated = 0;
  let skipped = await store.countPendingWithoutEmail(scope);
  let after = '';
  for (;;) {
    const batch = await store.pendingEmails(scope, after, batchSize);
    const last = batch.at(-1);
    if (!last) break;
    after = last.email;
    const users = await deps.auth.findUsersByEmails(batch.map((b) => b.email));
    const matches: EmailMatch[] = [];
    for (const { email, rows } of batch) {
      const userId = users.get(email);
      if (userId) matches.push({ email, userId });
      else skipped += rows;
    }
    if (matches.length > 0) {
      const result = await store.linkPending(scope, matches);
      synced += result.linked;
      userChatsCreated += result.created;
    }
    if (batch.length < batchSize) break;
  }
  return { synced, skipped, total: synced + skipped, userChatsCreated };
}
