import { createStore, produce } from 'solid-js/store';

import { messageOf, upload, type UploadProgress } from '../lib/api';

export type UploadRow = {
  key: string;
  filename: string;
  stage: UploadProgress['stage'];
  pagesDone?: number;
  pageCount?: number | null;
  chunks?: number;
  error?: string;
};

/** Uploads in flight and just finished, one row per file, fed by the `files.progress` stages. */
export function createUploads(onIndexed: () => void) {
  const [rows, setRows] = createStore<UploadRow[]>([]);
  let seq = 0;

  function update(key: string, patch: Partial<UploadRow>) {
    setRows(
      (r) => r.key === key,
      produce((r) => Object.assign(r, patch)),
    );
  }

  async function one(file: File, category: string) {
    const key = `u${++seq}`;
    setRows(rows.length, { key, filename: file.name, stage: 'sending' });
    try {
      await upload(file, {
        category: category.trim() || undefined,
        onProgress: (p) =>
          update(key, {
            stage: p.stage,
            pagesDone: p.pagesDone,
            pageCount: p.pageCount,
            chunks: p.chunks,
            ...(p.stage === 'failed' && p.reason ? { error: p.reason } : {}),
          }),
      });
      onIndexed();
    } catch (err) {
      update(key, { stage: 'failed', error: messageOf(err) });
    }
  }

  return {
    rows,
    /** Several files at once: they upload side by side, each with its own row. */
    add(files: Iterable<File>, category: string) {
      return Promise.all([...files].map((f) => one(f, category)));
    },
    dismiss(key: string) {
      setRows((r) => r.filter((row) => row.key !== key));
    },
  };
}
