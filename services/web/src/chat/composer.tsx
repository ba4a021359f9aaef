import { createUniqueId, For, Show, type JSX } from 'solid-js';

import { t } from '../lib/i18n';
import type { AskOptions } from './conversation';

export type FileChoice = { id: string; filename: string };

/**
 * The message box with send / stop (same slot, same size: the layout does not move when an answer
 * starts), search settings under "Advanced", and the files the question searches (all by default).
 */
export function Composer(props: {
  value: string;
  onInput: (v: string) => void;
  onSend: () => void;
  onStop: () => void;
  streaming: boolean;
  disabled: boolean;
  files: FileChoice[];
  selected: string[] | null;
  onSelect: (ids: string[] | null) => void;
  options: Pick<AskOptions, 'searchType' | 'alpha'>;
  onOptions: (o: Pick<AskOptions, 'searchType' | 'alpha'>) => void;
}): JSX.Element {
  const id = createUniqueId();
  const isSelected = (fileId: string) => props.selected === null || props.selected.includes(fileId);
  const toggle = (fileId: string, on: boolean) => {
    const current = props.selected ?? props.files.map((f) => f.id);
    const next = on ? [...new Set([...current, fileId])] : current.filter((x) => x !== fileId);
    props.onSelect(next.length === props.files.length ? null : next);
  };
  const summary = () =>
    props.selected === null
      ? t.allFiles
      : t.selectedFiles(props.selected.length, props.files.length);

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        if (!props.streaming) props.onSend();
      }}
    >
      <div class="composer-row">
        <label for={`${id}-q`} class="visually-hidden">
          {t.askLabel}
        </label>
        <textarea
          id={`${id}-q`}
          rows={2}
          placeholder={t.askPlaceholder}
          value={props.value}
          maxLength={8000}
          onInput={(e) => props.onInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter sends, Shift+Enter is a new line (IME composition is left alone).
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              if (!props.streaming) props.onSend();
            }
          }}
        />
        <Show
          when={props.streaming}
          fallback={
            <button
              type="submit"
              class="primary send"
              disabled={props.disabled || !props.value.trim()}
            >
              {t.send}
            </button>
          }
        >
          <button type="button" class="danger send" onClick={() => props.onStop()}>
            {t.stop}
          </button>
        </Show>
      </div>
      <div class="composer-options">
        <details class="file-choice">
          <summary>
            {t.filesForQuestion}: {summary()}
          </summary>
          <fieldset>
            <legend class="visually-hidden">{t.filesForQuestion}</legend>
            <For each={props.files}>
              {(f) => (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={isSelected(f.id)}
                    onChange={(e) => toggle(f.id, e.currentTarget.checked)}
                  />
                  {f.filename}
                </label>
              )}
            </For>
          </fieldset>
        </details>
        <details class="advanced">
          <summary>{t.advanced}</summary>
          <div class="field inline">
            <label for={`${id}-type`}>{t.searchType}</label>
            <select
              id={`${id}-type`}
              value={props.options.searchType}
              onChange={(e) =>
                props.onOptions({
                  ...props.options,
                  searchType: e.currentTarget.value as AskOptions['searchType'],
                })
              }
            >
              <For each={['hybrid', 'semantic', 'keyword']}>
                {(v) => <option value={v}>{t.searchTypes[v]}</option>}
              </For>
            </select>
          </div>
          <div class="field inline">
            <label for={`${id}-alpha`}>{t.alpha}</label>
            <input
              id={`${id}-alpha`}
              type="range"
              min="0"
              max="1"
              step="0.05"
              value={props.options.alpha}
              disabled={props.options.searchType !== 'hybrid'}
              aria-describedby={`${id}-alpha-hint`}
              onInput={(e) =>
                props.onOptions({ ...props.options, alpha: Number(e.currentTarget.value) })
              }
            />
            <output for={`${id}-alpha`}>{props.options.alpha.toFixed(2)}</output>
          </div>
          <p class="hint" id={`${id}-alpha-hint`}>
            {t.alphaHelp}
          </p>
        </details>
      </div>
    </form>
  );
}
