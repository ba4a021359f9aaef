import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';

import type { RouterOutputs } from '../lib/api';
import { t } from '../lib/i18n';
import { titleOf } from './turns';

type Summary = RouterOutputs['conversations']['list']['data'][number];

/** Newest first; each row opens its conversation, with its actions beside it. */
export function ConversationList(props: {
  items: Summary[];
  currentId: string | null;
  onDelete: (c: Summary) => void;
  onNew: () => void;
}): JSX.Element {
  return (
    <nav class="conversations" aria-label={t.conversations}>
      <button type="button" class="primary wide" onClick={() => props.onNew()}>
        {t.newConversation}
      </button>
      <h2>{t.conversations}</h2>
      <Show when={props.items.length > 0} fallback={<p class="empty">{t.noConversations}</p>}>
        <ul>
          <For each={props.items}>
            {(c) => {
              const title = () => titleOf(c, t.untitled);
              return (
                <li classList={{ current: c.conversation_id === props.currentId }}>
                  <A
                    href={`/c/${c.conversation_id}`}
                    class="conversation-link"
                    aria-current={c.conversation_id === props.currentId ? 'page' : undefined}
                  >
                    {title()}
                  </A>
                  <button
                    type="button"
                    class="ghost small icon"
                    onClick={() => props.onDelete(c)}
                    aria-label={`${t.delete}: ${title()}`}
                    title={t.delete}
                  >
                    ×
                  </button>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
    </nav>
  );
}
