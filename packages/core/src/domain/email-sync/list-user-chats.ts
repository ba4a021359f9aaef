import type { EmailSyncStore, UserChatRecord } from '../../ports/email-sync-store';
import type {
  UserChatByEmailInput,
  UserChatByUserInput,
  UserChatPage,
  UserChatRow,
} from './schemas';

type ListDeps = { emailSync: Pick<EmailSyncStore, 'listUserChats'> };

// The documented fields only: nothing else about a user can ever leave through these routes.
function toRow(r: UserChatRecord): UserChatRow {
  return {
    id: r.id,
    app_id: r.appId,
    conversation_id: r.conversationId,
    email: r.email,
    user_id: r.userId,
    name_app: r.nameApp,
    created_at: r.createdAt.toISOString(),
  };
}

const page = ({ limit, offset }: UserChatPage) => ({ limit, offset });

/** `GET /user-chat/`: newest first. */
export async function listUserChats(deps: ListDeps, input: UserChatPage): Promise<UserChatRow[]> {
  return (await deps.emailSync.listUserChats(page(input))).map(toRow);
}

/** `GET /user-chat/user/{user_id}`: the rows linked to one user, newest first. */
export async function listUserChatsByUser(
  deps: ListDeps,
  input: UserChatByUserInput,
): Promise<UserChatRow[]> {
  return (await deps.emailSync.listUserChats(page(input), { userId: input.user_id })).map(toRow);
}

/** `GET /user-chat/email/{email}`: the e-mail is compared normalised (trimmed, lower case). */
export async function listUserChatsByEmail(
  deps: ListDeps,
  input: UserChatByEmailInput,
): Promise<UserChatRow[]> {
  return (await deps.emailSync.listUserChats(page(input), { email: input.email })).map(toRow);
}
