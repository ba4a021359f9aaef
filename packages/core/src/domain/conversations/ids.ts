import { randomBytes } from 'node:crypto';

/** `conv_` + 32 hex, the original's conversation id format. */
export function newConversationId(): string {
  return `conv_${randomBytes(16).toString('hex')}`;
}

/** `q_` + 8 hex, the original's question id format. */
export function newQuestionId(): string {
  return `q_${randomBytes(4).toString('hex')}`;
}
