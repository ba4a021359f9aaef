import { batch, createSignal } from 'solid-js';
import { createStore, produce } from 'solid-js/store';

import { ask, authed, isAborted, messageOf, recoverSession, type AskStream } from '../lib/api';
import { turnKey, turnsFrom, type Turn } from './turns';

export type AskOptions = {
  searchType: 'hybrid' | 'semantic' | 'keyword';
  alpha: number;
  fileIds: string[];
};

/**
 * One open conversation: its bubbles, the answer being streamed and how to stop it. `onStarted`
 * learns the conversation id the server chose for a new conversation; `onAnswered` runs after each
 * answer (the list's order and titles change).
 */
export function createConversation(hooks: {
  onStarted: (conversationId: string) => void;
  onAnswered: () => void;
  /** The question could not be sent (e.g. the session ended): give the text back to the composer. */
  onUnsent: (question: string) => void;
}) {
  const [turns, setTurns] = createStore<Turn[]>([]);
  const [id, setId] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let current: AskStream | null = null;
  const [streaming, setStreaming] = createSignal(false);

  async function open(conversationId: string | null) {
    stop();
    setError(null);
    batch(() => {
      setId(conversationId);
      setTurns([]);
    });
    if (!conversationId) return;
    setLoading(true);
    try {
      const res = await authed((c) =>
        c.conversations.get.mutate({ conversation_id: conversationId }),
      );
      if (id() === conversationId) setTurns(turnsFrom(res.data.messages));
    } catch (err) {
      if (id() === conversationId) setError(messageOf(err));
    } finally {
      setLoading(false);
    }
  }

  const patch = (key: string, fn: (t: Turn) => void) => setTurns((t) => t.key === key, produce(fn));

  async function send(question: string, opts: AskOptions, retried = false): Promise<void> {
    if (streaming() || !question.trim()) return;
    setError(null);
    const answerKey = turnKey();
    setStreaming(true);
    if (!retried) {
      setTurns(turns.length, {
        key: turnKey(),
        role: 'user',
        text: question,
        sources: [],
        related: [],
        status: 'done',
      });
    }
    setTurns(turns.length, {
      key: answerKey,
      role: 'assistant',
      text: '',
      sources: [],
      related: [],
      status: 'streaming',
    });
    let started = false;
    try {
      const stream = await ask({
        question,
        conversation_id: id() ?? undefined,
        file_id: opts.fileIds,
        search_type: opts.searchType,
        alpha: opts.alpha,
      });
      current = stream;
      for await (const e of stream) {
        if (e.event === 'start') {
          started = true;
          if (!id()) {
            setId(e.data.conversation_id);
            hooks.onStarted(e.data.conversation_id);
          }
        } else if (e.event === 'sources')
          patch(answerKey, (t) => void (t.sources = e.data.sources));
        else if (e.event === 'content') patch(answerKey, (t) => void (t.text += e.data.content));
        else if (e.event === 'end')
          patch(answerKey, (t) => {
            t.related = e.data.related_questions;
            t.status = 'done';
          });
      }
    } catch (err) {
      if (isAborted(err)) {
        patch(answerKey, (t) => void (t.status = 'stopped'));
      } else if (!started && (await recoverSession(err)) && !retried) {
        setTurns((t) => t.filter((x) => x.key !== answerKey));
        setStreaming(false);
        current = null;
        return send(question, opts, true);
      } else if (!started) {
        // Refused before it began (no session, bad input): nothing was saved, so nothing is shown.
        setTurns((t) => t.filter((x) => x.key !== answerKey).slice(0, -1));
        setError(messageOf(err));
        hooks.onUnsent(question);
      } else {
        patch(answerKey, (t) => {
          t.status = 'error';
          t.error = messageOf(err);
        });
      }
    } finally {
      current = null;
      setStreaming(false);
      if (started) hooks.onAnswered();
    }
  }

  function stop() {
    current?.abort();
  }

  return { turns, id, loading, error, streaming, open, send, stop };
}
