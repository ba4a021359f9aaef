import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { syncPending } from '../../packages/core/src/domain/email-sync/sync-pending';
import type {
  EmailSyncStore,
  InsertedRange,
  InsertFeed,
  NewChatHistory,
  SyncScope,
} from '../../packages/core/src/ports/email-sync-store';
import { waitUntil } from './wait';

export type EmailSyncSubject = {
  emailSync: EmailSyncStore;
  insertFeed: InsertFeed;
  close(): Promise<void>;
};

const clock = { now: () => new Date() };

/**
 * The e-mail sync's store and insert feed, for every adapter (memory, PGlite, Postgres): e-mail
 * normalisation, pending scans, idempotent linking, user_chat listing and insert announcements.
 * Tests share one database, so each scopes its work to the log ids it wrote and uses its own e-mails.
 */
export function emailSyncStoreContract(name: string, open: () => Promise<EmailSyncSubject>) {
  describe(`EmailSyncStore + InsertFeed contract: ${name}`, () => {
    let s: EmailSyncSubject;
    beforeAll(async () => {
      s = await open();
    });
    afterAll(() => s?.close());

    const tag = () => randomBytes(4).toString('hex');
    const row = (r: Partial<NewChatHistory> & { conversationId: string }): NewChatHistory => ({
      nameApp: 'Bot',
      appId: null,
      inputText: 'hi',
      outputText: 'hello',
      email: null,
      ...r,
    });
    /** Adds the rows and returns the scope covering exactly them. */
    async function add(rows: NewChatHistory[]): Promise<SyncScope & { ids: number[] }> {
      const ids: number[] = [];
      for (const r of rows) ids.push((await s.emailSync.addChatHistory(r)).logId);
      return { ids, fromLogId: Math.min(...ids), toLogId: Math.max(...ids) };
    }

    it('stores a row as given and derives its e-mail from the column, else a JSON "Email" key', async () => {
      const t = tag();
      const scope = await add([
        row({ conversationId: `${t}-1`, email: `  Ann${t}@Example.COM\t`, appId: 'app' }),
        row({ conversationId: `${t}-2`, inputText: `{"Email":" Bob${t}@Example.com "}` }),
        row({
          conversationId: `${t}-3`,
          email: '  ',
          inputText: `{"eMaIl": "carl${t}@example.com"}`,
        }),
        row({ conversationId: `${t}-4`, inputText: '{"Email": 42}' }),
        row({ conversationId: `${t}-5`, inputText: '{"Email": "x@y.z"' }),
        row({
          conversationId: `${t}-6`,
          inputText: `{"email":"low${t}@example.com","Email":"exact${t}@example.com"}`,
        }),
      ]);
      const first = await s.emailSync.chatHistory(scope.ids[0] ?? 0);
      expect(first).toMatchObject({
        conversationId: `${t}-1`,
        email: `  Ann${t}@Example.COM\t`,
        appId: 'app',
        userId: null,
      });
      expect(first?.createdAt).toBeInstanceOf(Date);
      expect(await s.emailSync.chatHistory(-1)).toBeUndefined();
      expect(await s.emailSync.pendingEmails(scope, '', 100)).toEqual([
        { email: `ann${t}@example.com`, rows: 1 },
        { email: `bob${t}@example.com`, rows: 1 },
        { email: `carl${t}@example.com`, rows: 1 },
        { email: `exact${t}@example.com`, rows: 1 },
      ]);
      expect(await s.emailSync.countPendingWithoutEmail(scope)).toBe(2);
      expect(
        (await s.emailSync.pendingEmails(scope, `ann${t}@example.com`, 2)).map((e) => e.email),
      ).toEqual([`bob${t}@example.com`, `carl${t}@example.com`]);
    });

    it('links pending rows once, one user_chat per (e-mail, conversation), listed newest first', async () => {
      const t = tag();
      const ann = `ann${t}@example.com`;
      const scope = await add([
        row({ conversationId: `${t}-c1`, email: ann, appId: 'app-1', nameApp: 'Bot A' }),
        row({ conversationId: `${t}-c1`, inputText: `{"Email":"${ann}"}`, nameApp: 'Bot B' }),
        row({ conversationId: `${t}-c2`, email: ann }),
        row({ conversationId: `${t}-c3`, email: `zed${t}@example.com` }),
      ]);
      const matches = [{ email: ann, userId: `u-${t}` }];
      expect(await s.emailSync.linkPending(scope, matches)).toEqual({ linked: 3, created: 2 });
      expect(await s.emailSync.linkPending(scope, matches)).toEqual({ linked: 0, created: 0 });
      expect((await s.emailSync.chatHistory(scope.ids[1] ?? 0))?.userId).toBe(`u-${t}`);
      expect(await s.emailSync.pendingEmails(scope, '', 10)).toEqual([
        { email: `zed${t}@example.com`, rows: 1 },
      ]);
      const mine = await s.emailSync.listUserChats({ limit: 10, offset: 0 }, { userId: `u-${t}` });
      // The pair takes the first row's app and name; newest first by created_at, then id.
      expect(mine.map((u) => [u.conversationId, u.email, u.appId, u.nameApp])).toEqual([
        [`${t}-c2`, ann, null, 'Bot'],
        [`${t}-c1`, ann, 'app-1', 'Bot A'],
      ]);
      expect(await s.emailSync.listUserChats({ limit: 1, offset: 1 }, { email: ann })).toEqual([
        mine[1],
      ]);
      expect(
        await s.emailSync.listUserChats({ limit: 10, offset: 0 }, { userId: 'nobody' }),
      ).toEqual([]);
      const all = await s.emailSync.listUserChats({ limit: 1000, offset: 0 });
      expect(all.filter((u) => u.userId === `u-${t}`)).toHaveLength(2);
    });

    it('syncPending over the store: skips unknown and e-mail-less rows, links them later', async () => {
      const t = tag();
      const users = new Map([[`ann${t}@example.com`, `u-${t}`]]);
      const auth = {
        findUsersByEmails: (emails: string[]) =>
          Promise.resolve(
            new Map(
              emails.flatMap((e) => {
                const id = users.get(e);
                return id ? [[e, id] as const] : [];
              }),
            ),
          ),
      };
      const deps = { emailSync: s.emailSync, auth, clock };
      const { ids: _, ...scope } = await add([
        row({ conversationId: `${t}-1`, email: `ann${t}@example.com` }),
        row({ conversationId: `${t}-2`, email: `late${t}@example.com` }),
        row({ conversationId: `${t}-3` }),
      ]);
      expect(await syncPending(deps, scope)).toEqual({
        synced: 1,
        skipped: 2,
        total: 3,
        userChatsCreated: 1,
      });
      users.set(`late${t}@example.com`, `u2-${t}`);
      expect(await syncPending(deps, scope, 1)).toEqual({
        synced: 1,
        skipped: 1,
        total: 2,
        userChatsCreated: 1,
      });
      expect(await syncPending(deps, { ...scope, since: new Date(Date.now() + 3600_000) })).toEqual(
        {
          synced: 0,
          skipped: 0,
          total: 0,
          userChatsCreated: 0,
        },
      );
    });

    it('announces inserts made after listen resolves, until stopped', async () => {
      const seen: InsertedRange[] = [];
      const stop = await s.insertFeed.listen({
        onInsert: (r) => seen.push(r),
        onError: () => undefined,
      });
      const t = tag();
      const { ids } = await add([row({ conversationId: `${t}-a` })]);
      const id = ids[0] ?? 0;
      await waitUntil(
        () => seen.some((r) => r.from_log_id <= id && id <= r.to_log_id),
        'the insert announcement',
      );
      await stop();
      const count = seen.length;
      // A stopped listener is no longer called (checked at once: an absence cannot be awaited).
      await add([row({ conversationId: `${t}-b` })]);
      expect(seen.length).toBe(count);
    });
  });
}
