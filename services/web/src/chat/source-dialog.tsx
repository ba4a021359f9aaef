import { createEffect, Show, type JSX } from 'solid-js';

import type { AskSource } from '../lib/api';
import { t } from '../lib/i18n';

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
            <blockquote class="page-text">{s().content_snippet}</blockquote>
          </>
        )}
      </Show>
    </dialog>
  );
}
