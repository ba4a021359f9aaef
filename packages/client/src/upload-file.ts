import type { inferRouterOutputs } from '@trpc/server';

import type { RagClient } from './create-client.js';
import { MSG_ABORTED, RagClientError, toRagClientError } from './errors.js';
import type { AppRouter, IngestProgress } from './server-types.js';

export type UploadResult = inferRouterOutputs<AppRouter>['files']['upload'];

/**
 * One step of an upload: `sending` (client side, before the bytes leave), then the server's
 * `uploaded`, `parsed`, `chunked`, `embedded` (repeated with counts on long documents) and finally
 * `indexed` or `failed`. Exactly one final stage is reported.
 */
export type UploadProgress =
  IngestProgress | (Omit<IngestProgress, 'stage' | 'jobId'> & { stage: 'sending'; jobId: null });

export type UploadFileOptions = {
  /** Stored with the file; filters searches later. */
  category?: string;
  /** Called for every stage (needs an EventSource for the server's stages, see `createRagClient`). */
  onProgress?: (progress: UploadProgress) => void;
  /** Cancels the upload (rejects with `ABORTED`). */
  signal?: AbortSignal;
  /** File name when `file` is a Blob without one. */
  filename?: string;
  /** How long to wait for the server's final stage after the upload returned (default 5 s). */
  settleMs?: number;
};

const FINAL = new Set(['indexed', 'failed']);

/**
 * Uploads one document (a `File`, or a `Blob` with `filename`) as FormData and, with `onProgress`,
 * reports its stages through the `files.progress` subscription opened before the bytes are sent.
 * Resolves with the upload's result; rejects with `RagClientError` (e.g. `PAYLOAD_TOO_LARGE`).
 */
export async function uploadFile(
  client: RagClient,
  file: Blob,
  opts: UploadFileOptions = {},
): Promise<UploadResult> {
  const uploadId = globalThis.crypto.randomUUID();
  const filename = opts.filename ?? (file as Partial<File>).name ?? 'upload';
  const form = new FormData();
  form.append('file', file, filename);
  if (opts.category) form.append('category', opts.category);
  form.append('upload_id', uploadId);

  const onProgress = opts.onProgress;
  if (!onProgress) return send(client, form, opts.signal);

  let final = false;
  let finalSeen: () => void = () => undefined;
  const finalArrived = new Promise<void>((resolve) => (finalSeen = resolve));
  const report = (p: UploadProgress) => {
    if (final) return;
    final = FINAL.has(p.stage);
    onProgress(p);
    if (final) finalSeen();
  };

  // Waits until the progress stream is open (or cannot open) so no early stage is missed.
  let opened: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (opened = resolve));
  let progressGone = false;
  const sub = client.files.progress.subscribe(
    { upload_id: uploadId },
    {
      // The server's first event says it is listening: nothing sent afterwards can be missed.
      onData: (p) => (p.stage === 'ready' ? opened() : report(p)),
      // Progress is a nicety: without it (no EventSource, refused) the upload goes on.
      onError: () => ((progressGone = true), opened()),
      onComplete: () => ((progressGone = true), opened()),
      onConnectionStateChange: (s) => {
        if (s.state === 'connecting' && s.error) opened();
      },
    },
  );
  try {
    await abortable(ready, opts.signal);
    report({
      stage: 'sending',
      jobId: null,
      uploadId,
      fileId: null,
      filename,
      done: null,
      total: null,
    });
    const res = await send(client, form, opts.signal);
    // The server's `indexed` may still be on its way over the other connection.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, opts.settleMs ?? 5000)),
    );
    if (!progressGone) await Promise.race([finalArrived, settle]);
    clearTimeout(timer);
    report({
      stage: 'indexed',
      jobId: '',
      uploadId,
      fileId: res.file_id ?? null,
      filename: res.filename,
      chunks: res.chunks_count,
      done: res.chunks_count,
      total: res.chunks_count,
    });
    return res;
  } catch (err) {
    const e = toRagClientError(err);
    report({
      stage: 'failed',
      jobId: '',
      uploadId,
      fileId: null,
      filename,
      reason: e.message,
      done: null,
      total: null,
    });
    throw e;
  } finally {
    sub.unsubscribe();
  }
}

async function send(client: RagClient, form: FormData, signal?: AbortSignal) {
  try {
    return await client.files.upload.mutate(form, { signal });
  } catch (err) {
    throw toRagClientError(err);
  }
}

function abortable(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  // The signal's reason (any value) becomes the cause of the client's own ABORTED error.
  const aborted = () =>
    new RagClientError(MSG_ABORTED, { code: 'ABORTED', status: 0, cause: signal.reason });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(aborted()), { once: true });
    p.then(resolve, reject);
  });
}
