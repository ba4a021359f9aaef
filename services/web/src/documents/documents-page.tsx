import {
  createMemo,
  createResource,
  createSignal,
  createUniqueId,
  For,
  Show,
  type JSX,
} from 'solid-js';

import { authed, messageOf, type RouterOutputs } from '../lib/api';
import { formatDate, formatSize, t } from '../lib/i18n';
import { Notice } from '../ui/field';
import { UploadPanel } from './upload-panel';
import { createUploads } from './uploads';

type FileInfo = RouterOutputs['files']['list']['files'][number];
export type FileRow = FileInfo & { chunks: number | null };

/** The user's files with their chunk counts (one batched request for every status). */
export async function loadFiles(): Promise<FileRow[]> {
  const { files } = await authed((c) => c.files.list.query());
  const counts = await authed((c) =>
    Promise.all(
      files.map((f) =>
        f.id
          ? c.files.status
              .query({ file_id: f.id })
              .then((s) => s.chunks_count)
              .catch(() => null)
          : Promise.resolve(null),
      ),
    ),
  );
  return files.map((f, i) => ({ ...f, chunks: counts[i] ?? null }));
}

export function DocumentsPage(): JSX.Element {
  const [files, { refetch }] = createResource(loadFiles);
  const [limits] = createResource(() => authed((c) => c.files.uploadLimits.query()));
  // Read again whenever the list is: an upload or a removal changes both.
  const [usage] = createResource(files, () => authed((c) => c.files.usage.query()));
  const uploads = createUploads(() => void refetch());
  const [filter, setFilter] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [info, setInfo] = createSignal<string | null>(null);
  const filterId = createUniqueId();

  const categories = createMemo(() =>
    [...new Set((files() ?? []).map((f) => f.category).filter((c): c is string => !!c))].sort(),
  );
  const shown = createMemo(() => {
    const f = filter();
    const all = files.latest ?? [];
    if (!f) return all;
    return all.filter((file) => (f === '\u0000none' ? !file.category : file.category === f));
  });

  async function remove(file: FileRow) {
    if (!confirm(t.deleteFileConfirm(file.filename))) return;
    setError(null);
    try {
      const res = await authed((c) =>
        c.files.delete.mutate({ filename: file.id ?? file.filename }),
      );
      setInfo(res.message);
      await refetch();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <main id="main" class="page documents">
      <h1>{t.documentsTitle}</h1>
      <UploadPanel
        rows={uploads.rows}
        maxMb={limits()?.max_upload_mb ?? null}
        onFiles={(list, category) => void uploads.add(list, category)}
        onDismiss={(key) => uploads.dismiss(key)}
      />
      <section class="panel" aria-labelledby="files-h">
        <div class="panel-head">
          <div class="panel-title">
            <h2 id="files-h">{t.yourFiles}</h2>
            <Show when={usage.latest}>
              {(u) => (
                <p class="hint storage-usage">
                  {t.storageUsed(
                    formatSize(u().used_bytes),
                    u().quota_bytes === null ? null : formatSize(u().quota_bytes ?? 0),
                    u().files,
                    u().max_files,
                  )}
                </p>
              )}
            </Show>
          </div>
          <Show when={categories().length > 0}>
            <div class="field inline">
              <label for={filterId}>{t.filterCategory}</label>
              <select
                id={filterId}
                value={filter()}
                onChange={(e) => setFilter(e.currentTarget.value)}
              >
                <option value="">{t.allCategories}</option>
                <For each={categories()}>{(c) => <option value={c}>{c}</option>}</For>
                <option value={'\u0000none'}>{t.noCategory}</option>
              </select>
            </div>
          </Show>
        </div>
        <Notice error={error() ?? (files.error ? messageOf(files.error) : null)} info={info()} />
        <Show when={files.latest} fallback={<p>{t.loading}</p>}>
          <Show when={shown().length > 0} fallback={<p class="empty">{t.noFiles}</p>}>
            <div class="table-wrap">
              <table class="files">
                <thead>
                  <tr>
                    <th scope="col">{t.colName}</th>
                    <th scope="col">{t.colSize}</th>
                    <th scope="col">{t.colDate}</th>
                    <th scope="col">{t.colCategory}</th>
                    <th scope="col">{t.colChunks}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t.colActions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={shown()}>
                    {(f) => (
                      <tr>
                        <th scope="row" class="name" data-label={t.colName}>
                          {f.filename}
                        </th>
                        <td data-label={t.colSize}>{formatSize(f.size)}</td>
                        <td data-label={t.colDate}>{formatDate(f.upload_date)}</td>
                        <td data-label={t.colCategory}>{f.category ?? '—'}</td>
                        <td data-label={t.colChunks}>{f.chunks ?? '—'}</td>
                        <td>
                          <button
                            type="button"
                            class="ghost small danger"
                            onClick={() => void remove(f)}
                            aria-label={`${t.delete}: ${f.filename}`}
                          >
                            {t.delete}
                          </button>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </Show>
      </section>
    </main>
  );
}
