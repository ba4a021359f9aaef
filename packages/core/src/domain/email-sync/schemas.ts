import { z } from 'zod';

/** Loose e-mail shape: one "@", no spaces. The auth provider decides who actually exists. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;
const EMAIL_MESSAGE = 'value is not a valid email address';

const requiredText = (max: number) => z.string().trim().min(1).max(max);

/** `POST /api/v1/chat-history/` body. A blank `email` counts as absent (the chatbot often sends ""). */
export const CreateChatHistoryInput = z.object({
  name_app: requiredText(200),
  input_text: z.string().max(200_000),
  output_text: z.string().max(200_000),
  conversation_id: requiredText(200),
  email: z
    .string()
    .trim()
    .max(320)
    .refine((v) => v === '' || EMAIL_SHAPE.test(v), EMAIL_MESSAGE)
    .transform((v) => v || null)
    .nullish(),
  app_id: z
    .string()
    .trim()
    .max(200)
    .transform((v) => v || null)
    .nullish(),
});
export type CreateChatHistoryInput = z.infer<typeof CreateChatHistoryInput>;

/** A stored chat_history row, as returned by the create endpoint. */
export const ChatHistoryRow = z.object({
  log_id: z.number().int(),
  name_app: z.string(),
  app_id: z.string().nullable(),
  input_text: z.string(),
  output_text: z.string(),
  conversation_id: z.string(),
  email: z.string().nullable(),
  /** The linked user's id once synced; null while pending. */
  user_id: z.string().nullable(),
  created_at: z.string(),
});
export type ChatHistoryRow = z.infer<typeof ChatHistoryRow>;

const counts = {
  message: z.string(),
  /** chat_history rows linked to a user by this call. */
  synced_records: z.number().int(),
  /** Pending rows examined and left pending: no e-mail, or no user with that e-mail. */
  skipped_records: z.number().int(),
};
/** Answer of `sync-email-to-user-chat` and `sync-all-pending`; total = synced + skipped. */
export const SyncResult = z.object({ ...counts, total_processed: z.number().int() });
export type SyncResult = z.infer<typeof SyncResult>;
/** Answer of `check-and-sync-email` (same counts, the total is named `total_checked`). */
export const CheckSyncResult = z.object({ ...counts, total_checked: z.number().int() });
export type CheckSyncResult = z.infer<typeof CheckSyncResult>;

/** Sync of the pending rows of a log-id range (what the sync service does when rows arrive). */
export const SyncRangeInput = z
  .object({ from_log_id: z.number().int().min(1), to_log_id: z.number().int().min(1) })
  .refine((r) => r.from_log_id <= r.to_log_id, { message: 'from_log_id must be <= to_log_id' });
export type SyncRangeInput = z.infer<typeof SyncRangeInput>;

/** Events of the `chatHistory.onInserted` subscription. `ready` = listening; nothing after it is missed. */
export const InsertedEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('inserted'),
    from_log_id: z.number().int(),
    to_log_id: z.number().int(),
  }),
]);
export type InsertedEvent = z.infer<typeof InsertedEvent>;

/** The only fields the user-chat routes ever return. */
export const UserChatRow = z.object({
  id: z.number().int(),
  app_id: z.string().nullable(),
  conversation_id: z.string(),
  email: z.string(),
  user_id: z.string(),
  name_app: z.string().nullable(),
  created_at: z.string(),
});
export type UserChatRow = z.infer<typeof UserChatRow>;
export const UserChatList = z.array(UserChatRow);

export const UserChatPage = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type UserChatPage = z.infer<typeof UserChatPage>;

export const UserChatUserParams = z.object({ user_id: requiredText(200) });
export const UserChatEmailParams = z.object({
  email: requiredText(320)
    .refine((v) => EMAIL_SHAPE.test(v), EMAIL_MESSAGE)
    .transform((v) => v.toLowerCase()),
});

export const UserChatByUserInput = UserChatUserParams.extend(UserChatPage.shape);
export type UserChatByUserInput = z.infer<typeof UserChatByUserInput>;
export const UserChatByEmailInput = UserChatEmailParams.extend(UserChatPage.shape);
export type UserChatByEmailInput = z.infer<typeof UserChatByEmailInput>;
