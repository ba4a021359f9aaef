import { For, Show, type JSX } from 'solid-js';

import type { AskSource } from '../lib/api';
import { t } from '../lib/i18n';
import type { Turn } from './turns';

/**
 * The bubbles. Sources and related questions are drawn once an answer ends, below its text: while
 * tokens arrive only the text grows, at the bottom, so nothing already on screen moves.
 */
export function MessageList(props: {
  turns: Turn[];
  onSource: (s: AskSource) => void;
  onAsk: (q: string) => void;
  canAsk: boolean;
}): JSX.Element {
  return (
    <ol class="messages" aria-label={t.conversations}>
      <For each={props.turns}>
        {(turn) => (
          <li class={`turn ${turn.role}`} data-status={turn.status}>
            <span class="visually-hidden">{turn.role === 'user' ? t.you : t.assistant}: </span>
            <div
              class="bubble"
              aria-live={turn.status === 'streaming' ? 'polite' : undefined}
              aria-busy={turn.status === 'streaming'}
            >
              <Show
                when={turn.text || turn.status !== 'streaming'}
                fallback={<span class="thinking">{t.thinking}</span>}
              >
                <p class="text">{turn.text}</p>
              </Show>
            </div>
            <Show when={turn.status === 'stopped'}>
              <p class="turn-note">{t.stopped}</p>
            </Show>
            <Show when={turn.status === 'interrupted'}>
              <p class="turn-note">{t.interrupted}</p>
            </Show>
            <Show when={turn.status === 'error'}>
              <p class="turn-note error" role="alert">
                {turn.error}
              </p>
            </Show>
            <Show
              when={
                turn.role === 'assistant' && turn.status !== 'streaming' && turn.sources.length > 0
              }
            >
              <section class="sources" aria-label={t.sources}>
                <h3>{t.sources}</h3>
                <ul>
                  <For each={turn.sources}>
                    {(s) => (
                      <li>
                        <button type="button" class="source" onClick={() => props.onSource(s)}>
                          <span class="source-name">
                            {s.source_filename || s.source}
                            <Show when={s.page !== null}>
                              <span class="source-page"> · {t.page(s.page ?? 0)}</span>
                            </Show>
                          </span>
                          <span class="snippet">{s.content_snippet}</span>
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            </Show>
            <Show when={turn.related.length > 0}>
              <section class="related" aria-label={t.related}>
                <h3>{t.related}</h3>
                <div class="chips">
                  <For each={turn.related}>
                    {(q) => (
                      <button
                        type="button"
                        class="chip"
                        disabled={!props.canAsk}
                        onClick={() => props.onAsk(q)}
                      >
                        {q}
                      </button>
                    )}
                  </For>
                </div>
              </section>
            </Show>
          </li>
        )}
      </For>
    </ol>
  );
}
