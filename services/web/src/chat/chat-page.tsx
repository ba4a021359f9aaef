import { A, useNavigate, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, Show, type JSX } from 'solid-js';

import { authed, messageOf, type AskSource } from '../lib/api';
import { question } from '../lib/drafts';
import { t } from '../lib/i18n';
import { Notice } from '../ui/field';
import { Composer } from './composer';
import { createConversation, type AskOptions } from './conversation';
import { ConversationList } from './conversation-list';
import { MessageList } from './message-list';
import { SourceDialog } from './source-dialog';
import { newestFirst, titleOf } from './turns';

export function ChatPage(): JSX.Element {
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const [draft, setDraft] = question;
  const [listOpen, setListOpen] = createSignal(false);
  const [source, setSource] = createSignal<AskSource | null>(null);
  const [selected, setSelected] = createSignal<string[] | null>(null);
  const [options, setOptions] = createSignal<Pick<AskOptions, 'searchType' | 'alpha'>>({
    searchType: 'hybrid',
    alpha: 0.7,
  });
  const [pageError, setPageError] = createSignal<string | null>(null);

  const [list, { refetch: refetchList }] = createResource(() =>
    authed((c) => c.conversations.list.query({ page: 1, page_size: 50 })),
  );
  const [files] = createResource(() => authed((c) => c.files.list.query()));
  const fileChoices = () =>
    (files()?.files ?? []).flatMap((f) => (f.id ? [{ id: f.id, filename: f.filename }] : []));

  const conv = createConversation({
    onStarted: (id) => navigate(`/c/${id}`),
    onAnswered: () => void refetchList(),
    onUnsent: (q) => setDraft((d) => d || q),
  });

  createEffect(
    on(
      () => params.id ?? null,
      (id) => {
        setListOpen(false);
        if (id !== conv.id()) void conv.open(id);
      },
    ),
  );

  const empty = () => !conv.loading() && conv.turns.length === 0 && !conv.streaming();
  const [suggestions] = createResource(
    () => empty() && fileChoices().length > 0,
    () => authed((c) => c.suggestions.list.query({ num_suggestions: 3 })),
  );

  function send(q = draft()) {
    const text = q.trim();
    if (!text || conv.streaming()) return;
    setDraft('');
    const ids = selected() ?? fileChoices().map((f) => f.id);
    void conv.send(text, { ...options(), fileIds: ids });
  }

  async function remove(c: {
    conversation_id: string;
    title: string | null;
    first_message: string;
  }) {
    if (!confirm(t.deleteConversationConfirm(titleOf(c, t.untitled)))) return;
    setPageError(null);
    try {
      await authed((api) =>
        api.conversations.delete.mutate({ conversation_id: c.conversation_id }),
      );
      if (c.conversation_id === conv.id()) navigate('/');
      await refetchList();
    } catch (err) {
      setPageError(messageOf(err));
    }
  }

  async function rename(c: { conversation_id: string }, title: string): Promise<boolean> {
    setPageError(null);
    try {
      await authed((api) =>
        api.conversations.rename.mutate({ conversation_id: c.conversation_id, title }),
      );
      await refetchList();
      return true;
    } catch (err) {
      setPageError(messageOf(err));
      return false;
    }
  }

  // Follow the answer as it grows, unless the person scrolled up to read.
  let scroller!: HTMLDivElement;
  let pinned = true;
  createEffect(() => {
    const last = conv.turns.at(-1);
    void last?.text.length;
    void last?.status;
    void conv.turns.length;
    if (pinned) scroller.scrollTop = scroller.scrollHeight;
  });

  return (
    <div class="chat" classList={{ 'list-open': listOpen() }}>
      <button
        type="button"
        class="ghost list-toggle"
        aria-expanded={listOpen()}
        aria-controls="conversation-list"
        onClick={() => setListOpen((v) => !v)}
      >
        {t.showConversations}
      </button>
      <aside id="conversation-list" class="sidebar">
        <ConversationList
          items={newestFirst(list.latest?.data ?? [])}
          currentId={conv.id()}
          onDelete={(c) => void remove(c)}
          onRename={rename}
          onNew={() => navigate('/')}
        />
      </aside>
      <main id="main" class="conversation">
        <div
          class="scroller"
          ref={scroller}
          onScroll={() => {
            pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
          }}
        >
          <Notice
            error={pageError() ?? conv.error() ?? (list.error ? messageOf(list.error) : null)}
          />
          <Show when={empty()}>
            <div class="empty-chat">
              <h1>{t.emptyChat}</h1>
              <Show
                when={files.state !== 'ready' || fileChoices().length > 0}
                fallback={
                  <p>
                    {t.needDocuments} <A href="/documents">{t.goToDocuments}</A>
                  </p>
                }
              >
                <Show when={(suggestions()?.suggestions.length ?? 0) > 0}>
                  <h2>{t.suggestions}</h2>
                  <div class="chips">
                    <For each={suggestions()?.suggestions}>
                      {(s) => (
                        <button type="button" class="chip" onClick={() => send(s)}>
                          {s}
                        </button>
                      )}
                    </For>
                  </div>
                </Show>
              </Show>
            </div>
          </Show>
          <MessageList
            turns={conv.turns}
            onSource={setSource}
            onAsk={(q) => send(q)}
            canAsk={!conv.streaming()}
          />
        </div>
        <Composer
          value={draft()}
          onInput={setDraft}
          onSend={() => send()}
          onStop={conv.stop}
          streaming={conv.streaming()}
          disabled={fileChoices().length === 0}
          files={fileChoices()}
          selected={selected()}
          onSelect={setSelected}
          options={options()}
          onOptions={setOptions}
        />
      </main>
      <SourceDialog source={source()} onClose={() => setSource(null)} />
    </div>
  );
}
