import { SourceSchema, type ConversationSummary, type Message, type Source } from './schemas';
import type { ConversationStats } from '../../ports/conversation-store';
import type { StoredMessage } from '../../ports/message-store';

/** What an answer stores in `messages.metadata` (a user message stores the first three fields). */
export type AnswerMetadata = {
  question_id: string;
  search_type?: string;
  file_id?: string[];
  alpha?: number;
  max_sources?: number | null;
  /** The standalone query retrieval used, when it differs from the question. */
  query?: string;
  sources?: Source[];
  related_questions?: string[];
  processing_time?: number;
  /** complete | interrupted (client left) | failed (the provider failed mid-answer) */
  status?: 'complete' | 'interrupted' | 'failed';
};

const iso = (d: Date) => d.toISOString();

function storedSources(value: unknown): Source[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((s) => {
    const parsed = SourceSchema.safeParse(s);
    return parsed.success ? [parsed.data] : [];
  });
}

export function toMessage(row: StoredMessage): Message {
  const meta = row.metadata ?? {};
  const role = row.role === 'assistant' ? 'assistant' : 'user';
  const { sources, question_id, ...settings } = meta;
  const message: Message = {
    role,
    content: row.content,
    sequence: row.sequence,
    created_at: iso(row.createdAt),
    timestamp: iso(row.createdAt),
    question_id: typeof question_id === 'string' ? question_id : null,
  };
  if (role === 'assistant') {
    message.sources = storedSources(sources);
    message.interrupted = settings.status === 'interrupted';
  }
  if (Object.keys(settings).length > 0) message.metadata = settings;
  return message;
}

export function toSummary(row: ConversationStats): ConversationSummary {
  return {
    conversation_id: row.id,
    user_id: row.userId,
    created_at: iso(row.createdAt),
    last_updated: iso(row.lastUpdated),
    title: row.title,
    first_message: row.firstMessage ?? '',
    message_count: row.messageCount,
  };
}
