import type { AskSource, RouterOutputs } from '../lib/api';

type StoredMessage = RouterOutputs['conversations']['get']['data']['messages'][number];

/** One bubble of the conversation. */
export type Turn = {
  key: string;
  role: 'user' | 'assistant';
  text: string;
  sources: AskSource[];
  related: string[];
  /** streaming: tokens arriving; stopped: the person pressed stop; interrupted: saved partial (history). */
  status: 'done' | 'streaming' | 'stopped' | 'interrupted' | 'error';
  error?: string;
};

let seq = 0;
export const turnKey = () => `t${++seq}`;

/** A stored conversation as bubbles (related questions are not stored: only live answers show them). */
export function turnsFrom(messages: StoredMessage[]): Turn[] {
  return [...messages]
    .sort((a, b) => a.sequence - b.sequence)
    .map((m) => ({
      key: turnKey(),
      role: m.role,
      text: m.content,
      sources: m.sources ?? [],
      related: [],
      status: m.interrupted ? 'interrupted' : 'done',
    }));
}

type Summary = RouterOutputs['conversations']['list']['data'][number];

/** Newest first, by last activity. */
export function newestFirst(list: Summary[]): Summary[] {
  return [...list].sort((a, b) => b.last_updated.localeCompare(a.last_updated));
}

export function titleOf(c: { title: string | null; first_message?: string }, fallback: string) {
  return c.title?.trim() || c.first_message?.trim() || fallback;
}
