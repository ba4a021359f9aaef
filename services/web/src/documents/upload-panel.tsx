import { createSignal, createUniqueId, For, Show, type JSX } from 'solid-js';

import { t } from '../lib/i18n';
import type { UploadRow } from './uploads';

const ACCEPT = '.pdf,.docx,.txt,.sql,.md';

/** The drop zone, the file picker (several files at once) and one progress row per upload. */
export function UploadPanel(props: {
  rows: UploadRow[];
  maxMb: number | null;
  onFiles: (files: File[], category: string) => void;
  onDismiss: (key: string) => void;
}): JSX.Element {
  const [over, setOver] = createSignal(false);
  const [category, setCategory] = createSignal('');
  const inputId = createUniqueId();
  const catId = createUniqueId();
  let input!: HTMLInputElement;

  const take = (list: FileList | null | undefined) => {
    const files = [...(list ?? [])];
    if (files.length) props.onFiles(files, category());
  };

  return (
    <section class="panel" aria-labelledby={`${inputId}-h`}>
      <h2 id={`${inputId}-h`} class="visually-hidden">
        {t.uploads}
      </h2>
      <div
        class="drop-zone"
        classList={{ over: over() }}
        onDragEnter={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          take(e.dataTransfer?.files);
        }}
      >
        <p>
          {t.dropHere}{' '}
          <label for={inputId} class="link-button">
            {t.chooseFiles}
          </label>
          <input
            ref={input}
            id={inputId}
            class="visually-hidden"
            type="file"
            multiple
            accept={ACCEPT}
            onChange={(e) => {
              take(e.currentTarget.files);
              input.value = '';
            }}
          />
        </p>
        <p class="hint">{t.acceptedTypes('PDF, DOCX, TXT, SQL, MD', props.maxMb ?? 50)}</p>
        <div class="field inline">
          <label for={catId}>{t.categoryOptional}</label>
          <input
            id={catId}
            type="text"
            value={category()}
            onInput={(e) => setCategory(e.currentTarget.value)}
            maxLength={100}
          />
        </div>
      </div>
      <Show when={props.rows.length > 0}>
        <ul class="upload-list" aria-label={t.uploads}>
          <For each={props.rows}>
            {(row) => (
              <li class="upload-row" classList={{ failed: row.stage === 'failed' }}>
                <span class="name">{row.filename}</span>
                <span class="stage" role="status">
                  {t.stage[row.stage] ?? row.stage}
                  <Show when={row.pageCount && row.pagesDone !== undefined}>
                    {' · '}
                    {t.pagesProgress(row.pagesDone ?? 0, row.pageCount ?? 0)}
                  </Show>
                  <Show when={row.stage === 'indexed' && row.chunks !== undefined}>
                    {' · '}
                    {t.chunksCount(row.chunks ?? 0)}
                  </Show>
                </span>
                <progress
                  max={STAGES.length - 1}
                  value={Math.max(0, STAGES.indexOf(row.stage))}
                  aria-label={`${row.filename}: ${t.stage[row.stage] ?? row.stage}`}
                />
                <Show when={row.error}>
                  <p class="error" role="alert">
                    {row.error}
                  </p>
                </Show>
                <Show when={row.stage === 'indexed' || row.stage === 'failed'}>
                  <button
                    type="button"
                    class="ghost small"
                    onClick={() => props.onDismiss(row.key)}
                    aria-label={`${t.dismiss}: ${row.filename}`}
                  >
                    {t.dismiss}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

const STAGES = ['sending', 'uploaded', 'parsed', 'chunked', 'embedded', 'indexed'];
