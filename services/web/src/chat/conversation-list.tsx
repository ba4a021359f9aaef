import { A } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';

import type { RouterOutputs } from '../lib/api';
import { t } from '../lib/i18n';
import { titleOf } from './turns';

type Summary = RouterOutputs['conversations']['list']['data'][number];

/** Newest first; each row opens its conversation, with its actions beside it. */
export function ConversationList(props: {
  items: Summary[];
  currentId: string | null;
  onDelete: (c: Summary) => void;
  /** Resolves true when saved (the row closes its editor), false to keep the editor open. */
  onRename: (c: Summary, title: string) => Promise<boolean>;
  onNew: () => void;
}): JSX.Element {
  const [editing, setEditing] = createSignal<string | null>(null);
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
              let renameButton: HTMLButtonElement | undefined;
              const stop = () => {
                setEditing(null);
                // Give focus back to where the person started, so the keyboard is not lost.
                queueMicrotask(() => renameButton?.focus());
              };
              return (
                <li classList={{ current: c.conversation_id === props.currentId }}>
                  <Show
                    when={editing() === c.conversation_id}
                    fallback={
                      <>
                        <A
                          href={`/c/${c.conversation_id}`}
                          class="conversation-link"
                          aria-current={c.conversation_id === props.currentId ? 'page' : undefined}
                        >
                          {title()}
                        </A>
                        <button
                          ref={renameButton}
                          type="button"
                          class="ghost small icon"
                          onClick={() => setEditing(c.conversation_id)}
                          aria-label={`${t.rename}: ${title()}`}
                          title={t.rename}
                        >
                          ✎
                        </button>
                        <button
                          type="button"
                          class="ghost small icon"
                          onClick={() => props.onDelete(c)}
                          aria-label={`${t.delete}: ${title()}`}
                          title={t.delete}
                        >
                          ×
                        </button>
                      </>
                    }
                  >
                    <RenameForm
                      initial={c.title ?? title()}
                      onSave={async (next) => {
                        if (await props.onRename(c, next)) stop();
                      }}
                      onCancel={stop}
                    />
                  </Show>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
    </nav>
  );
}

/** A labelled input: Enter saves, Escape cancels. */
function RenameForm(props: {
  initial: string;
  onSave: (title: string) => Promise<void>;
  onCancel: () => void;
}): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  let input!: HTMLInputElement;
  queueMicrotask(() => {
    input.focus();
    input.select();
  });
  return (
    <form
      class="rename-form"
      onSubmit={(e) => {
        e.preventDefault();
        const next = input.value.trim();
        if (!next || busy()) return;
        setBusy(true);
        void props.onSave(next).finally(() => setBusy(false));
      }}
    >
      <label class="visually-hidden" for="rename-input">
        {t.renameLabel}
      </label>
      <input
        ref={input}
        id="rename-input"
        value={props.initial}
        maxLength={200}
        required
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            props.onCancel();
          }
        }}
      />
      <button type="submit" class="small" disabled={busy()}>
        {t.save}
      </button>
      <button type="button" class="ghost small" onClick={() => props.onCancel()}>
        {t.cancel}
      </button>
    </form>
  );
}
