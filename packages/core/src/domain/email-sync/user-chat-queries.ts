import { desc, eq } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { userChat } from '../../db/schema/email-sync';
import type {
  UserChatByEmailInput,
  UserChatByUserInput,
  UserChatPage,
  UserChatRow,
} from './schemas';

// Selecting the documented columns only: nothing else about a user can ever leave through these routes.
const columns = {
  id: userChat.id,
  app_id: userChat.appId,
  conversation_id: userChat.conversationId,
  email: userChat.email,
  user_id: userChat.userId,
  name_app: userChat.nameApp,
  created_at: userChat.createdAt,
};

async function list(
  db: Db,
  page: UserChatPage,
  where?: ReturnType<typeof eq>,
): Promise<UserChatRow[]> {
  const rows = await db
    .select(columns)
    .from(userChat)
    .where(where)
    .orderBy(desc(userChat.createdAt), desc(userChat.id))
    .limit(page.limit)
    .offset(page.offset);
  return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
}

/** `GET /user-chat/`: newest first. */
export function listUserChats(deps: { db: Db }, page: UserChatPage): Promise<UserChatRow[]> {
  return list(deps.db, page);
}

/** `GET /user-chat/user/{user_id}`: the rows linked to one user, newest first. */
export function listUserChatsByUser(
  deps: { db: Db },
  input: UserChatByUserInput,
): Promise<UserChatRow[]> {
  return list(deps.db, input, eq(userChat.userId, input.user_id));
}

/** `GET /user-chat/email/{email}`: the e-mail is compared normalised (trimmed, lower case). */
export function listUserChatsByEmail(
  deps: { db: Db },
  input: UserChatByEmailInput,
): Promise<UserChatRow[]> {
  return list(deps.db, input, eq(userChat.email, input.email));
}
