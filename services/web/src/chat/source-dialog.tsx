import { createEffect, createResource, createSignal, Show, type JSX } from 'solid-js';

import { authed, fileContent, messageOf, type AskSource } from '../lib/api';
import { t } from '../lib/i18n';
import { highlightRange } from './highlight';

/** A cited passage in a modal dialog (native <dialog>: focus is trapped and Escape closes it). */
export function SourceDialog(props: {
  source: AskSource | null;
  onClose: () => void;
}): JSX.Element {
  let dialog!: HTMLDialogElement;
  createEffect(() => {
    if (props.source && !dialog.open) dialog.showModal();
    else if (!props.source && dialog.open) dialog.close();
  });
  // Paged documents only: the page's full text, with the cited chunk marked in it.
  const [pageText] = createResource(
    () => {
      const s = props.source;
      return s && s.page !== null && !s.is_web_search ? { file_id: s.file_id, page: s.page } : null;
    },
    (key) => authed((c) => c.files.page.query(key)).catch(() => null),
  );
  const [fileError, setFileError] = createSignal<string | null>(null);
  // A failed download belongs to the source it was for, not the next one opened.
  createEffect(() => {
    void props.source;
    setFileError(null);
  });

  async function openOriginal(e: MouseEvent, s: AskSource) {
    e.preventDefault();
    setFileError(null);
    try {
      const blob = await fileContent(s.file_id);
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      a.download = s.source_filename || s.source;
      a.click();
      // The download has started from the object URL; release it once the click was handled.
      setTimeout(() => URL.revokeObjectURL(href), 0);
    } catch (err) {
      setFileError(messageOf(err));
    }
  }

  return (
    <dialog
      ref={dialog}
      class="source-dialog"
      aria-labelledby="source-title"
      onClose={props.onClose}
    >
      <Show when={props.source}>
        {(s) => (
          <>
            <header>
              <h2 id="source-title">
                {s().source_filename || s().source}
                <Show when={s().page !== null}> · {t.page(s().page ?? 0)}</Show>
              </h2>
              <button type="button" class="ghost" onClick={props.onClose}>
                {t.close}
              </button>
            </header>
            <Show when={s().section}>
              <p class="hint">{s().section}</p>
            </Show>
            <Show when={!s().is_web_search}>
              <p>
                <a href="#" class="open-file" onClick={(e) => void openOriginal(e, s())}>
                  {t.openFile}
                </a>
              </p>
              <Show when={fileError()}>
                <p role="alert" class="error">
                  {fileError()}
                </p>
              </Show>
            </Show>
            <Show
              when={pageText()}
              fallback={
                <>
                  <Show when={s().page !== null && pageText.state === 'ready'}>
                    <p class="hint">{t.pageTextUnavailable}</p>
                  </Show>
                  <blockquote class="page-text" aria-label={t.citedPassage}>
                    {s().content_snippet}
                  </blockquote>
                </>
              }
            >
              {(p) => {
                const parts = () => highlightRange(p().text, p().chunks, s().content_snippet);
                return (
                  <div class="page-text" aria-label={t.openPage} tabindex="0">
                    <Show when={parts()} fallback={p().text}>
                      {(r) => (
                        <>
                          {r().before}
                          <mark
                            ref={(m) => queueMicrotask(() => m.scrollIntoView({ block: 'center' }))}
                          >
                            {r().marked}
                          </mark>
                          {r().after}
                        </>
                      )}
                    </Show>
                  </div>
                );
              }}
            </Show>
          </>
        )}
      </Show>
    </dialog>
  );
}
