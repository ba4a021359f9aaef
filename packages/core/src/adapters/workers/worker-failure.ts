import { AppError } from '../../errors';

/** Messages of a worker that died on a document (the job fails with these; the process lives on). */
export const WORKER_MESSAGES = {
  outOfMemory:
    'Lỗi khi đọc file: tài liệu vượt quá giới hạn bộ nhớ khi xử lý (tài liệu quá lớn hoặc quá phức tạp)',
  crashed: 'Lỗi khi xử lý tài liệu: tiến trình xử lý bị dừng bất thường',
} as const;

/** A worker that ran out of memory is the document's fault (400); any other death is ours (500). */
export function workerFailure(e: unknown): unknown {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY')
    return new AppError('BAD_REQUEST', WORKER_MESSAGES.outOfMemory, { cause: e });
  if ((e as { name?: string } | null)?.name === 'AbortError') return e;
  if (e instanceof Error && /worker|terminated|exited/i.test(`${code ?? ''} ${e.message}`))
    return new AppError('INTERNAL', WORKER_MESSAGES.crashed, { cause: e });
  return e;
}
